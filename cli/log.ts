/** JSON-lines logs in pino's shape (level, time, msg, fields), the same as the HTTP layer's. */
import type { Log } from '../sync/runtime.ts';

const LEVELS = { info: 30, warn: 40, error: 50 } as const;

export function jsonLog(minimum: string): Log {
  const floor = minimum in LEVELS ? LEVELS[minimum as keyof typeof LEVELS] : minimum === 'silent' ? Infinity : 0;
  return (level, msg, fields = {}) => {
    if (LEVELS[level] < floor) return;
    process.stdout.write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), msg, ...fields })}\n`);
  };
}
