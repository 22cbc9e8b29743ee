/**
 * A local change feed (node:http, 127.0.0.1, random port): serves the events pushed to it as
 * `GET /feed?cursor=C&limit=N` → `{"events": [...], "nextCursor": "..."}`, the cursor being an
 * offset into the list.
 */
import type { EventEnvelope } from '../../sync/ports.ts';
import { startTestErp, type TestErp } from '../sync/writeback/test-erp.ts';

export interface EventFeed {
  readonly url: string;
  push(...events: readonly EventEnvelope[]): void;
  close(): Promise<void>;
}

export async function startEventFeed(initial: readonly EventEnvelope[] = []): Promise<EventFeed> {
  const events = [...initial];
  const server: TestErp = await startTestErp((request) => {
    const params = new URL(request.url, 'http://feed').searchParams;
    const from = Number(params.get('cursor') ?? '0');
    const limit = Number(params.get('limit') ?? '100');
    const page = events.slice(from, from + limit);
    return { status: 200, body: { events: page, nextCursor: String(from + page.length) } };
  });
  return {
    url: `${server.url}/feed`,
    push: (...more) => { events.push(...more); },
    close: () => server.close(),
  };
}
