/** The environment's configuration mapped onto what the service core needs. */
import type { FeedConfig } from '../sync/feeds/feed-poller.ts';
import type { Source } from '../sync/ports.ts';
import type { RuntimeConfig } from '../sync/runtime.ts';
import type { WritebackAdapterConfig } from '../sync/writeback/create-adapter.ts';
import type { Config } from './config.ts';

export function runtimeConfig(config: Config, workers: boolean): RuntimeConfig {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    redisUrl: config.redisUrl,
    writeback: writebackConfig(config),
    feeds: Object.entries(config.feeds).map(([source, url]): FeedConfig => ({ name: source, source: source as Source, url })),
    connectors: config.erpConnections,
    writebackRetry: { windowMs: config.writebackWindowMs, maxDelayMs: config.writebackMaxDelayMs },
    writebackQuota: config.erpWritebackQuota,
    ...(config.queuePrefix !== undefined && { queuePrefix: config.queuePrefix }),
    workers,
    timeLimitMs: config.timeLimitMs,
    solverThreads: config.solverThreads,
    whatIfThreads: config.whatIfThreads,
    dates: config.dates,
  };
}

function writebackConfig(config: Config): WritebackAdapterConfig {
  const url = config.erpWritebackUrl;
  return url === undefined ? { kind: 'none' } : { kind: 'rest', url, headers: config.erpWritebackHeaders };
}
