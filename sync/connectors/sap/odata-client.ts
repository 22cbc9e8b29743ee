/**
 * An OData V2 session with an SAP Gateway: basic auth (or whatever the extra headers carry) and
 * `sap-client` on every call, session cookies kept and sent back, a CSRF token fetched with a
 * GET (`x-csrf-token: Fetch`) and sent with each modifying call, `If-Match` with the entity's
 * ETag, collections read page by page (`$top`, and `__next` when the server pages). Answers are
 * data: each failure says what it was, so callers decide between retry, conflict and rejection.
 */
import { exchange } from '../../writeback/http.ts';
import { errorMessageFromBody, parseRetryAfter } from '../../writeback/outcome.ts';
import { results, type Entity } from './odata-values.ts';

export interface ODataSessionConfig {
  readonly username: string | null;
  readonly password: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly sapClient: string | null;
  readonly timeoutMs: number;
}

export type ODataFailure =
  /** Down, slow, throttled, or answering what is not OData: worth trying again later. */
  | { readonly kind: 'unavailable'; readonly reason: string; readonly status: number | null; readonly retryAfterMs: number | null }
  /** SAP refused the request (validation, authorization, a bad query): the same call fails again. */
  | { readonly kind: 'refused'; readonly reason: string; readonly status: number }
  /** 403 with `x-csrf-token: Required`: the token (or its session) expired. */
  | { readonly kind: 'token'; readonly reason: string; readonly status: 403 }
  /** 412: the ETag sent in `If-Match` is no longer the entity's. */
  | { readonly kind: 'precondition'; readonly reason: string; readonly status: 412 }
  | { readonly kind: 'not-found'; readonly reason: string; readonly status: 404 };

export type ODataReply =
  | { readonly ok: true; readonly status: number; readonly etag: string | null; readonly body: unknown }
  | { readonly ok: false; readonly failure: ODataFailure };

export interface ODataPage {
  readonly results: readonly Entity[];
  /** The server's next-page link (`__next`), when it pages by itself. */
  readonly next: string | null;
}

const RETRYABLE = new Set([408, 409, 425, 429]);

export class ODataSession {
  private token: string | null = null;
  private readonly cookies = new Map<string, string>();
  /** Calls made so far (a write reports how many it needed). */
  calls = 0;

  constructor(private readonly config: ODataSessionConfig) {}

  /** `root/path?query` with `sap-client` appended; query values are URL-encoded. */
  url(root: string, path: string, query: Readonly<Record<string, string>> = {}): string {
    const params = Object.entries(query).map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
    return this.withClient(`${root}/${path}${params.length > 0 ? `?${params.join('&')}` : ''}`);
  }

  /** A server-given link (`__next`), absolute or relative to the service root. */
  resolve(root: string, link: string): string {
    const absolute = /^https?:\/\//i.test(link) ? link : `${root}/${link.replace(/^\/+/, '')}`;
    return /[?&]sap-client=/.test(absolute) ? absolute : this.withClient(absolute);
  }

  /** Forget the CSRF token and its session (after 403 `x-csrf-token: Required`). */
  resetToken(): void {
    this.token = null;
    this.cookies.clear();
  }

  get(url: string, options: { readonly fetchToken?: boolean } = {}): Promise<ODataReply> {
    const fetchToken = options.fetchToken === true && this.token === null;
    return this.call(url, 'GET', fetchToken ? { 'x-csrf-token': 'Fetch' } : {}, undefined);
  }

  async page(url: string): Promise<{ readonly ok: true; readonly page: ODataPage } | { readonly ok: false; readonly failure: ODataFailure }> {
    const reply = await this.get(url);
    if (!reply.ok) return reply;
    const d = (reply.body as { d?: { results?: unknown; __next?: unknown } } | null)?.d;
    if (d === undefined || !Array.isArray(d.results)) {
      return { ok: false, failure: { kind: 'unavailable', reason: `SAP answered ${url} without a collection`, status: reply.status, retryAfterMs: null } };
    }
    return { ok: true, page: { results: results(d), next: typeof d.__next === 'string' ? d.__next : null } };
  }

  patch(url: string, body: Readonly<Record<string, unknown>>, etag: string | null): Promise<ODataReply> {
    return this.call(url, 'PATCH', {
      'content-type': 'application/json',
      // An entity without an ETag cannot be guarded; `*` is what SAP accepts then.
      'if-match': etag ?? '*',
      ...(this.token !== null && { 'x-csrf-token': this.token }),
    }, JSON.stringify(body));
  }

  private withClient(url: string): string {
    if (this.config.sapClient === null) return url;
    return `${url}${url.includes('?') ? '&' : '?'}sap-client=${encodeURIComponent(this.config.sapClient)}`;
  }

  private async call(url: string, method: string, extra: Record<string, string>, body: string | undefined): Promise<ODataReply> {
    this.calls += 1;
    const answer = await exchange(url, {
      method,
      headers: {
        ...this.config.headers,
        ...(this.config.username !== null && {
          authorization: `Basic ${Buffer.from(`${this.config.username}:${this.config.password}`).toString('base64')}`,
        }),
        accept: 'application/json',
        ...(this.cookies.size > 0 && { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }),
        ...extra,
      },
      ...(body !== undefined && { body }),
    }, this.config.timeoutMs);
    if (!answer.ok) {
      const outcome = answer.outcome;
      const reason = outcome.kind === 'delivered' ? 'no answer' : outcome.reason;
      return { ok: false, failure: { kind: 'unavailable', reason: `SAP ${method}: ${reason}`, status: null, retryAfterMs: null } };
    }
    this.keepSession(answer.headers);
    return classify(answer.status, answer.headers, answer.body);
  }

  private keepSession(headers: Headers): void {
    for (const cookie of headers.getSetCookie()) {
      const pair = cookie.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const token = headers.get('x-csrf-token');
    if (token !== null && token.toLowerCase() !== 'required') this.token = token;
  }
}

function classify(status: number, headers: Headers, text: string): ODataReply {
  if (status >= 200 && status < 300) {
    if (text.trim() === '') return { ok: true, status, etag: headers.get('etag'), body: null };
    try {
      return { ok: true, status, etag: headers.get('etag'), body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, failure: { kind: 'unavailable', reason: `SAP answered HTTP ${status} with non-JSON`, status, retryAfterMs: null } };
    }
  }
  const message = errorMessageFromBody(text) || `HTTP ${status}`;
  if (status === 403 && headers.get('x-csrf-token')?.toLowerCase() === 'required') {
    return { ok: false, failure: { kind: 'token', reason: `CSRF token required: ${message}`, status } };
  }
  if (status === 412) return { ok: false, failure: { kind: 'precondition', reason: message, status } };
  if (status === 404) return { ok: false, failure: { kind: 'not-found', reason: message, status } };
  if (status >= 500 || RETRYABLE.has(status)) {
    return { ok: false, failure: { kind: 'unavailable', reason: `HTTP ${status}: ${message}`, status, retryAfterMs: parseRetryAfter(headers.get('retry-after')) } };
  }
  return { ok: false, failure: { kind: 'refused', reason: message, status } };
}
