/**
 * SAP S/4HANA over OData v2 (API_PRODUCTION_ORDER_2_SRV): PATCH `A_ProductionOrder_2('<order>')`.
 *
 * Mapping: plannedStart → MfgOrderPlannedStartDate (Edm.DateTime, `/Date(ms)/` at midnight) +
 * MfgOrderPlannedStartTime (Edm.Time, `PTxxHxxMxxS`); plannedEnd → MfgOrderPlannedEndDate/…EndTime,
 * both as wall-clock time in the plant's zone (from the payload, else `timeZone`, default UTC;
 * SAP keeps plant-local times);
 * dispatchPriority → ManufacturingOrderImportance by rank bucket (default ranks 1–10 → '1',
 * 11–50 → '2', 51–200 → '3', beyond → '4'). Operations are not written (they are separate
 * entities in SAP; the order's dates drive its scheduling there).
 *
 * Exchange: GET the order with `x-csrf-token: Fetch` (token, session cookies, ETag and the order's
 * status flags); an order closed, technically completed, deleted or locked is never written
 * (rejected); then PATCH with `x-csrf-token`, `If-Match` and the cookies. A stale token (403
 * `x-csrf-token: Required`) or ETag (412) is retried from the top.
 */
import { TZDate } from '@date-fns/tz';
import type { WritebackAdapter } from './adapter.ts';
import { DEFAULT_TIMEOUT_MS, exchange } from './http.ts';
import { classifyResponse, type DeliveryOutcome } from './outcome.ts';
import type { WritebackPayload } from './payload.ts';

export interface SapAdapterConfig {
  /** Service root, e.g. `https://host/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV`. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** `sap-client` query parameter, when the system needs one. */
  readonly sapClient?: string;
  readonly timeZone?: string;
  /** Upper rank of each importance bucket; importance = bucket index + 1. */
  readonly importanceBuckets?: readonly number[];
  readonly timeoutMs?: number;
}

const CLOSED_FLAGS = ['OrderIsClosed', 'OrderIsTechnicallyCompleted', 'OrderIsDeleted', 'OrderIsMarkedForDeletion', 'OrderIsLocked'];

/** The OData v2 date and time of an instant as wall-clock time in `timeZone`. */
export function toSapDateTime(iso: string, timeZone: string): { readonly date: string; readonly time: string } {
  const local = new TZDate(new Date(iso).getTime(), timeZone);
  const midnight = Date.UTC(local.getFullYear(), local.getMonth(), local.getDate());
  const pad = (n: number): string => String(n).padStart(2, '0');
  return { date: `/Date(${midnight})/`, time: `PT${pad(local.getHours())}H${pad(local.getMinutes())}M${pad(local.getSeconds())}S` };
}

export function importanceOf(rank: number, buckets: readonly number[]): string {
  const index = buckets.findIndex((upper) => rank <= upper);
  return String((index === -1 ? buckets.length : index) + 1);
}

export function sapAdapter(config: SapAdapterConfig): WritebackAdapter {
  const root = config.url.replace(/\/$/, '');
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeZone = config.timeZone ?? 'UTC';
  const buckets = config.importanceBuckets ?? [10, 50, 200];
  const auth: Record<string, string> = config.username !== undefined
    ? { authorization: `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}` }
    : {};

  function entityUrl(order: string): string {
    const key = encodeURIComponent(order.replace(/'/g, "''"));
    const client = config.sapClient !== undefined ? `?sap-client=${encodeURIComponent(config.sapClient)}` : '';
    return `${root}/A_ProductionOrder_2('${key}')${client}`;
  }

  return {
    kind: 'sap',
    async deliver(payload: WritebackPayload): Promise<DeliveryOutcome> {
      const url = entityUrl(payload.workOrder);
      const read = await exchange(url, {
        method: 'GET',
        headers: { ...config.headers, ...auth, accept: 'application/json', 'x-csrf-token': 'Fetch' },
      }, timeoutMs);
      if (!read.ok) return read.outcome;
      const readOutcome = classifyResponse(read.status, read.headers, read.body);
      if (readOutcome.kind !== 'delivered') return readOutcome;

      let entity: Record<string, unknown> = {};
      try {
        entity = ((JSON.parse(read.body) as { d?: Record<string, unknown> }).d) ?? {};
      } catch {
        return { kind: 'retry', reason: 'SAP answered with non-JSON', status: read.status, retryAfterMs: null };
      }
      const closedBy = CLOSED_FLAGS.find((flag) => entity[flag] === true);
      if (closedBy !== undefined) return { kind: 'rejected', reason: `production order ${payload.workOrder}: ${closedBy}`, status: null };

      const token = read.headers.get('x-csrf-token');
      const metadata = entity.__metadata as { etag?: string } | undefined;
      const etag = read.headers.get('etag') ?? metadata?.etag ?? '*';
      const cookies = read.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const start = toSapDateTime(payload.plannedStart, payload.timeZone ?? timeZone);
      const end = toSapDateTime(payload.plannedEnd, payload.timeZone ?? timeZone);

      const patch = await exchange(url, {
        method: 'PATCH',
        headers: {
          ...config.headers,
          ...auth,
          accept: 'application/json',
          'content-type': 'application/json',
          'if-match': etag,
          ...(token !== null && { 'x-csrf-token': token }),
          ...(cookies !== '' && { cookie: cookies }),
        },
        body: JSON.stringify({
          MfgOrderPlannedStartDate: start.date,
          MfgOrderPlannedStartTime: start.time,
          MfgOrderPlannedEndDate: end.date,
          MfgOrderPlannedEndTime: end.time,
          ManufacturingOrderImportance: importanceOf(payload.dispatchPriority, buckets),
        }),
      }, timeoutMs);
      if (!patch.ok) return patch.outcome;
      if (patch.status === 403 && patch.headers.get('x-csrf-token')?.toLowerCase() === 'required') {
        return { kind: 'retry', reason: 'SAP CSRF token expired', status: 403, retryAfterMs: null };
      }
      return classifyResponse(patch.status, patch.headers, patch.body);
    },
  };
}
