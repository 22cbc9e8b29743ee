import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildApp, type AppDeps } from '../../api/app.ts';
import { FakeTakt } from './fake-takt.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly takt: FakeTakt;
}

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** A fresh app over a fresh fake, closed after the test. */
export async function testApp(options: Omit<AppDeps, 'takt'> = {}): Promise<TestApp> {
  const takt = new FakeTakt();
  const app = await buildApp({ takt, ...options });
  open.push(app);
  return { app, takt };
}

export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}

export function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'erp-1',
    source: 'erp',
    type: 'work_order.upserted',
    plant: 'P1',
    occurredAt: '2026-11-22T08:00:00Z',
    version: 1,
    data: { id: 'WO1' },
    ...overrides,
  };
}
