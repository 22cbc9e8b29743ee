/**
 * The service under test, in its own process as in production: the same assembly as
 * `takt start` (runtime with workers + Fastify app + server) or, split, as an API-only instance
 * and a `takt worker`; configured by the bench (fresh database, fresh queue prefix, the test
 * ERP, the reschedule time limit) instead of the environment. Prints one JSON line
 * `{"ready": true, "url": ...}` once up (url null for a worker); stops cleanly when its stdin
 * closes (so it never outlives the bench) or on SIGTERM. Run under `node --cpu-prof` to profile.
 */
import { buildApp } from '../../api/app.ts';
import { startServer } from '../../api/server.ts';
import { openRuntime, type Log } from '../../sync/runtime.ts';
import { SERVICE_CONFIG_ENV, type ServiceConfig } from './service-config.ts';

const raw = process.env[SERVICE_CONFIG_ENV];
if (raw === undefined) throw new Error(`${SERVICE_CONFIG_ENV} is not set: this file is started by solver-bench/sync/bench.ts`);
const config = JSON.parse(raw) as ServiceConfig;

// Only trouble is worth printing: per-delivery info lines would cost the service time under load.
const log: Log = (level, message, fields) => {
  if (level !== 'info') process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`);
};

const runtime = await openRuntime({
  databaseUrl: config.databaseUrl,
  dataDir: ':memory:',
  redisUrl: config.redisUrl,
  queuePrefix: config.queuePrefix,
  writeback: { kind: 'rest', url: config.erpUrl },
  feeds: [],
  workers: config.role !== 'api',
  timeLimitMs: config.timeLimitMs,
}, log);
const app = config.role === 'worker' ? null : await buildApp({ takt: runtime.takt });
const url = app === null ? null : await startServer(app, { host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ ready: true, url })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app?.close();
  await runtime.close();
  // A normal exit, so that --cpu-prof writes its profile.
  process.exit(0);
}
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());
