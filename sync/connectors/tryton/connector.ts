/**
 * The Tryton connector: one company and warehouse of one Tryton database for one takt plant,
 * through Tryton's JSON-RPC. The session (company, warehouse, zone) is opened on first use and
 * again after a failure; the reference data a write needs (work center names) is the last read's,
 * or read afresh when it is older than a minute.
 */
import type { ErpConnector, ReadOutcome, WriteOutcome } from '../connector.ts';
import type { TrytonConnectorConfig } from './config.ts';
import { TrytonReader } from './read.ts';
import { TrytonRpc } from './rpc.ts';
import { openSession, readReferenceData, type ReferenceData, type Session } from './session.ts';
import { projectProduction, writeProduction } from './write.ts';

const REFERENCE_TTL_MS = 60_000;

export function createTrytonConnector(config: TrytonConnectorConfig): ErpConnector {
  const rpc = new TrytonRpc(config);
  const reader = new TrytonReader(rpc, config);
  let session: Session | null = null;
  let reference: { readonly data: ReferenceData; readonly at: number } | null = null;
  const freshest = () => (reader.lastReference !== null && (reference === null || reader.lastReference.at > reference.at) ? reader.lastReference : reference);

  async function ensureSession(): Promise<Session | { readonly reason: string }> {
    if (session !== null) return session;
    const opened = await openSession(rpc, config);
    if (!opened.ok) return { reason: opened.reason };
    session = opened.value;
    return session;
  }

  return {
    kind: 'tryton',
    name: config.name,
    plant: config.plant,
    inbound: true,
    outbound: true,
    refreshes: true,

    async read(request): Promise<ReadOutcome> {
      const opened = await ensureSession();
      if (!('company' in opened)) return { kind: 'unavailable', reason: opened.reason, retryAfterMs: null };
      const outcome = await reader.read(opened, request);
      if (outcome.kind === 'unavailable') session = null;
      return outcome;
    },

    project: projectProduction,

    async write({ payload, basis }): Promise<WriteOutcome> {
      const opened = await ensureSession();
      if (!('company' in opened)) return { kind: 'retry', reason: opened.reason, status: null, retryAfterMs: null };
      reference = freshest();
      if (reference === null || Date.now() - reference.at > REFERENCE_TTL_MS) {
        const read = await readReferenceData(rpc, opened);
        if (!read.ok) return { kind: 'retry', reason: read.reason, status: null, retryAfterMs: read.kind === 'unavailable' ? read.retryAfterMs : null };
        reference = { data: read.value, at: Date.now() };
      }
      return writeProduction(rpc, reader, opened, reference.data, payload, basis);
    },
  };
}
