/** What the bench tells the service process (as JSON in one environment variable). */
/**
 * `all`: API and workers in one process, as `takt start` runs. `api` / `worker`: the scale-out
 * split (API instances that only enqueue, and `takt worker` processes that plan and write back).
 */
export type ServiceRole = 'all' | 'api' | 'worker';

export interface ServiceConfig {
  readonly role: ServiceRole;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly erpUrl: string;
  readonly timeLimitMs: number;
}

export const SERVICE_CONFIG_ENV = 'TAKT_BENCH_SERVICE';
