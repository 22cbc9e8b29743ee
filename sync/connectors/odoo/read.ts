/**
 * The inbound read, in dependency order: calendars and work centers, items, stock, receipts,
 * orders. Items gate the rest: while the product stream still has pages to read, nothing that
 * names products is read (its cursor stays where it was), so an order never reaches the core
 * before the items it names.
 */
import type { ReadOutcome, ReadRequest } from '../connector.ts';
import type { OdooClient } from './client.ts';
import type { ResolvedOdooConfig } from './config.ts';
import { parseCursor, serializeCursor } from './cursor.ts';
import type { OdooFieldSet } from './fields.ts';
import { readItems } from './read-items.ts';
import { readMaster } from './read-master.ts';
import { readOrders } from './read-orders.ts';
import { readReceipts } from './read-receipts.ts';
import { ReadAborted, ReadSession } from './read-session.ts';
import { readStock, type ReadMemory } from './read-stock.ts';

export async function readOdoo(
  client: OdooClient,
  config: ResolvedOdooConfig,
  fields: OdooFieldSet,
  memory: ReadMemory,
  request: ReadRequest,
): Promise<ReadOutcome> {
  const s = new ReadSession(client, config, fields, parseCursor(request.cursor), request.links, request.now, request.plantExists);
  try {
    const master = await readMaster(s);
    const items = await readItems(s);
    const rest = s.more ? [] : [
      ...await readStock(s, memory),
      ...await readReceipts(s),
      ...await readOrders(s, master.workCenters),
    ];
    return {
      kind: 'changes',
      records: [...master.records, ...items, ...rest],
      cursor: serializeCursor({ v: 1, streams: Object.fromEntries(s.next) }),
      more: s.more,
    };
  } catch (error) {
    if (!(error instanceof ReadAborted)) throw error;
    const failure = error.failure;
    return { kind: 'unavailable', reason: failure.reason, retryAfterMs: failure.kind === 'unavailable' ? failure.retryAfterMs : null };
  }
}
