/** How takt reaches one Tryton database for one plant (credentials come from the environment). */
export interface TrytonConnectorConfig {
  /** Connection name: the key of its cursor and links (default `tryton`). */
  readonly name: string;
  /** The takt plant this company and warehouse feed. */
  readonly plant: string;
  /** Server root, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  /** The company: its party's name or its id (default: the user's company). */
  readonly company?: string;
  /** The warehouse's code (default `WH`). */
  readonly warehouse?: string;
  /** The plant's zone when the company has none (Tryton dates are read and written in it). */
  readonly timeZone?: string;
  /** Due date of a production without a planned date: this many days after it was first seen (default 14). */
  readonly defaultDueDays?: number;
  /** Re-read changes this far behind the last stamp seen, for commits that land out of order (default 30 s). */
  readonly overlapMs?: number;
  /** Records per read (default 500). */
  readonly pageSize?: number;
  /** Report work starts and completions (production.work cycles) as shop-floor progress (default true). */
  readonly progress?: boolean;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}
