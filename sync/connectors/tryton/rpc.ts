/**
 * Tryton's JSON-RPC, as its own client speaks it: `POST <url>/<database>/` with
 * `{id, method, params}`; `common.db.login` gives a session that later calls send as
 * `Authorization: Session base64(login:user:session)`. Model calls are
 * `model.<name>.<method>` with the context as the last parameter. Dates, datetimes, Decimals
 * and timedeltas travel as `{"__class__": ...}` objects; this client decodes them to ISO
 * strings and numbers and encodes dates, datetimes and decimals given as `TrytonDate`,
 * `TrytonDateTime` and `TrytonDecimal`. Answers are data, never throws:
 * a failure says whether a retry can help.
 */
import { exchange } from '../../writeback/http.ts';

export interface TrytonRpcConfig {
  /** Server root, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RpcFailure =
  /** The server is down, slow, overloaded or the session could not be opened: try later. */
  | { readonly kind: 'unavailable'; readonly reason: string; readonly retryAfterMs: number | null }
  /** Tryton refused the call (UserError, access, validation): the same call will fail again. */
  | { readonly kind: 'refused'; readonly reason: string; readonly exception: string }
  /** A `_timestamp` guard failed: the record changed since it was read. */
  | { readonly kind: 'concurrency'; readonly reason: string };

export type RpcAnswer<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & RpcFailure);

/** A calendar date (`YYYY-MM-DD`) sent to Tryton as its `date` class. */
export class TrytonDate {
  constructor(readonly iso: string) {}
  toJSON(): unknown {
    const [year, month, day] = this.iso.split('-').map(Number);
    return { __class__: 'date', year, month, day };
  }
}

/** A UTC instant sent to Tryton as a naive `datetime` (Tryton keeps UTC). */
export class TrytonDateTime {
  constructor(readonly ms: number) {}
  toJSON(): unknown {
    const d = new Date(this.ms);
    return {
      __class__: 'datetime', year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
      hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), microsecond: d.getUTCMilliseconds() * 1000,
    };
  }
}

/**
 * A decimal (`'0.80'`) sent as Tryton's `Decimal` class. Numeric fields (prices, costs) need it:
 * a JSON number becomes `Decimal(0.8)` = 0.8000000000000000444… on the server, which refuses it
 * as exceeding the field's digits (`DigitsValidationError`).
 */
export class TrytonDecimal {
  readonly decimal: string;
  constructor(value: string | number) {
    this.decimal = String(value);
  }
  toJSON(): unknown {
    return { __class__: 'Decimal', decimal: this.decimal };
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Tryton's class objects → plain JSON: datetime → ISO instant (µs kept), date → YYYY-MM-DD, Decimal → number. */
export function decodeTryton(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeTryton);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  switch (record.__class__) {
    case 'datetime': {
      const { year, month, day, hour, minute, second, microsecond } = record as Record<string, number>;
      return `${pad(year!, 4)}-${pad(month!)}-${pad(day!)}T${pad(hour!)}:${pad(minute!)}:${pad(second!)}.${pad(microsecond ?? 0, 6)}Z`;
    }
    case 'date': {
      const { year, month, day } = record as Record<string, number>;
      return `${pad(year!, 4)}-${pad(month!)}-${pad(day!)}`;
    }
    case 'Decimal': return Number(record.decimal);
    case 'timedelta': return Number(record.seconds);
    case 'time': {
      const { hour, minute, second } = record as Record<string, number>;
      return `${pad(hour!)}:${pad(minute!)}:${pad(second!)}`;
    }
    default: return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeTryton(v)]));
  }
}

export type Context = Readonly<Record<string, unknown>>;

export class TrytonRpc {
  private session: { readonly header: string } | null = null;
  private requestId = 0;
  private readonly endpoint: string;

  constructor(private readonly config: TrytonRpcConfig) {
    this.endpoint = `${config.url.replace(/\/$/, '')}/${encodeURIComponent(config.database)}/`;
  }

  /** `model.<model>.<method>(...args, context)`; logs in (again) when needed. */
  async model<T>(model: string, method: string, args: readonly unknown[], context: Context = {}): Promise<RpcAnswer<T>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const login = await this.ensureSession();
      if (!login.ok) return login;
      const answer = await this.post<T>(`model.${model}.${method}`, [...args, context], login.value);
      // An expired session answers 401/403: open a new one once.
      if (!answer.ok && answer.kind === 'unavailable' && answer.reason.startsWith('session')) {
        this.session = null;
        continue;
      }
      return answer;
    }
    return { ok: false, kind: 'unavailable', reason: 'Tryton session could not be renewed', retryAfterMs: null };
  }

  private async ensureSession(): Promise<RpcAnswer<string>> {
    if (this.session !== null) return { ok: true, value: this.session.header };
    const answer = await this.post<readonly [number, string]>('common.db.login', [this.config.username, { password: this.config.password }, 'en'], null);
    if (!answer.ok) {
      return answer.kind === 'refused' || answer.reason.startsWith('session')
        // Wrong credentials say nothing about the data: retry later (and fix the configuration).
        ? { ok: false, kind: 'unavailable', reason: `Tryton login failed for "${this.config.username}" on database "${this.config.database}": check the connector's credentials`, retryAfterMs: null }
        : answer;
    }
    const [userId, key] = answer.value;
    const header = `Session ${Buffer.from(`${this.config.username}:${userId}:${key}`).toString('base64')}`;
    this.session = { header };
    return { ok: true, value: header };
  }

  private async post<T>(method: string, params: readonly unknown[], authorization: string | null): Promise<RpcAnswer<T>> {
    this.requestId += 1;
    const answer = await exchange(this.endpoint, {
      method: 'POST',
      headers: {
        ...this.config.headers,
        'content-type': 'application/json',
        accept: 'application/json',
        ...(authorization !== null && { authorization }),
      },
      body: JSON.stringify({ id: this.requestId, method, params }),
    }, this.config.timeoutMs ?? 30_000);
    if (!answer.ok) {
      const outcome = answer.outcome;
      return { ok: false, kind: 'unavailable', reason: outcome.kind === 'delivered' ? 'no answer' : outcome.reason, retryAfterMs: null };
    }
    if (answer.status === 401 || answer.status === 403) return { ok: false, kind: 'unavailable', reason: `session refused (HTTP ${answer.status})`, retryAfterMs: null };
    if (answer.status === 429 || answer.status >= 500 || answer.status === 404) {
      const retryAfter = Number(answer.headers.get('retry-after'));
      return {
        ok: false, kind: 'unavailable', reason: `Tryton answered HTTP ${answer.status}`,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      };
    }
    let body: { result?: unknown; error?: unknown };
    try {
      body = JSON.parse(answer.body) as typeof body;
    } catch {
      return { ok: false, kind: 'unavailable', reason: `Tryton answered HTTP ${answer.status} with non-JSON`, retryAfterMs: null };
    }
    if (body.error !== undefined && body.error !== null) return { ok: false, ...classifyError(body.error) };
    return { ok: true, value: decodeTryton(body.result) as T };
  }
}

/**
 * Tryton answers `error: [exceptionName, args]`: `ConcurrencyException` for a failed
 * `_timestamp`, `UserError`/`AccessError`/… with `[message, description, domain]` for refusals;
 * anything else (a server bug, a database error) is worth retrying.
 */
export function classifyError(error: unknown): RpcFailure {
  const [name, args] = Array.isArray(error) ? error as [unknown, unknown] : [String(error), undefined];
  const exception = typeof name === 'string' ? name : 'Error';
  const detail = Array.isArray(args) ? args.filter((a) => typeof a === 'string' && a !== '').join(': ') : typeof args === 'string' ? args : '';
  const reason = detail === '' ? exception : `${exception}: ${detail}`;
  if (exception === 'ConcurrencyException') return { kind: 'concurrency', reason };
  if (/^(UserError|UserWarning|AccessError|ValidationError|RequiredValidationError|DomainValidationError|SelectionValidationError|SizeValidationError|DigitsValidationError|ForbiddenCharValidationError|LoginException|ImportDataError|MissingDependenciesException)$/.test(exception)) {
    return { kind: 'refused', reason, exception };
  }
  return { kind: 'unavailable', reason, retryAfterMs: null };
}
