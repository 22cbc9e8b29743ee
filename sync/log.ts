/** The structured log the core writes to: a level, a message and fields (JSON lines in `takt start`). */
export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
