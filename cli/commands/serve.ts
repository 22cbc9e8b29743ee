/**
 * `takt start` (API + worker) and `takt worker` (workers only): open the runtime, make sure an
 * admin key exists, load the demo plant into an empty database, serve, and stop cleanly on
 * SIGINT/SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { buildApp } from '../../api/app.ts';
import { startServer } from '../../api/server.ts';
import type { PlantProblem } from '../../scheduler/problem.ts';
import { loadPlant } from '../../sync/demo/load-plant.ts';
import { shiftProblemToWeekOf } from '../../sync/demo/problem-events.ts';
import { createWebhookAdmin } from '../../sync/events-out/admin.ts';
import { createKeyAdmin } from '../../sync/keys/admin.ts';
import { openRuntime, StartupError, type Log, type Runtime } from '../../sync/runtime.ts';
import { listPlantIds } from '../../sync/store/plants.ts';
import type { FastifyInstance } from 'fastify';
import { ConfigError, readConfig, type Config } from '../config.ts';
import { jsonLog } from '../log.ts';
import { runtimeConfig } from '../runtime-config.ts';
import { ensureAdminKey } from '../admin-key.ts';
import { removeServiceFile, writeServiceFile } from '../service-file.ts';

const DEMO_FILE = new URL('../../examples/machining-job-shop.json', import.meta.url);

export async function startCommand(_argv: readonly string[], print: (line: string) => void): Promise<number> {
  const config = readConfig(process.env);
  const log = jsonLog(config.logLevel);
  const stop = untilSignal();
  const runtime = await openRuntime(runtimeConfig(config, true), log);
  let app: FastifyInstance | null = null;
  try {
    const key = await ensureAdminKey(runtime.db, config);
    if (config.loadDemo) await loadDemoWhenEmpty(runtime, log);
    app = await buildApp({
      takt: runtime.takt,
      logger: { level: config.logLevel },
      webhookSecrets: config.webhookSecrets,
      rateLimits: config.rateLimits,
      trustProxy: config.trustProxy,
      requestTimeoutMs: config.requestTimeoutMs,
      webhooks: createWebhookAdmin(runtime.db),
      keys: createKeyAdmin(runtime.db),
    });
    const url = await startServer(app, { host: config.host, port: config.port }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES' && error.code !== 'EADDRNOTAVAIL') throw error;
      throw new StartupError(`cannot listen on ${config.host}:${config.port} (${error.code}): ${error.code === 'EADDRINUSE' ? 'another process holds the port; stop it or set PORT' : 'set HOST and PORT to an address this machine may use'}`);
    });
    // The embedded store is this process's alone: `takt keys` finds the API here instead.
    if (config.databaseUrl === undefined) await writeServiceFile(config.dataDir, url);
    print(`takt is running on ${describeStore(config)}`);
    print(`  board:    ${url}/${key.token ? `?key=${key.token}` : ''}`);
    print(`  API docs: ${url}/docs`);
    print(key.token ? `  admin API key: ${key.token}${key.created ? ' (new)' : ''}` : '  admin API key: the one created on first start (or `takt keys create`)');
    await stop;
    print('stopping');
    return 0;
  } finally {
    if (config.databaseUrl === undefined) await removeServiceFile(config.dataDir);
    await app?.close();
    await runtime.close();
  }
}

export async function workerCommand(_argv: readonly string[], print: (line: string) => void): Promise<number> {
  const config = readConfig(process.env);
  // Workers share the record and the queue with the API: PGlite is one process, the in-process queue one too.
  if (config.databaseUrl === undefined || config.redisUrl === undefined) {
    throw new ConfigError('takt worker needs DATABASE_URL and REDIS_URL (the embedded store and queue belong to `takt start`)');
  }
  const stop = untilSignal();
  const runtime = await openRuntime(runtimeConfig(config, true), jsonLog(config.logLevel));
  try {
    print(`takt worker running (${runtime.queue.kind} queue)`);
    await stop;
    return 0;
  } finally {
    await runtime.close();
  }
}

function describeStore(config: Config): string {
  const store = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
  return `${store} with ${config.redisUrl ? 'BullMQ on Redis' : 'the in-process queue'}`;
}

async function loadDemoWhenEmpty(runtime: Runtime, log: Log): Promise<void> {
  if ((await listPlantIds(runtime.db)).length > 0) return;
  const example = JSON.parse(await readFile(DEMO_FILE, 'utf8')) as PlantProblem;
  const problem = shiftProblemToWeekOf(example, Date.now());
  const rejected = await loadPlant(runtime.db, problem, new Date(), 'demo');
  if (rejected.length > 0) log('warn', 'demo plant events rejected', { rejected });
  const version = await runtime.takt.reschedule(problem.plant.id, { reason: 'demo plant loaded' });
  log('info', 'demo plant loaded', { plant: problem.plant.id, version: version.ok ? version.value.version : null });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
