import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberOption, parseArgs, UsageError } from '../../cli/args.ts';
import { ConfigError, readConfig } from '../../cli/config.ts';

describe('takt arguments', () => {
  const parse = (argv: string[]) => parseArgs(argv, new Set(['json']), new Set(['out', 'time-limit']));

  it('reads positionals, switches, `--name value` and `--name=value` (keeping later = signs)', () => {
    const args = parse(['file.txt', '--json', '--time-limit', '2', '--out=/tmp/a=b.json']);
    expect(args.positional).toEqual(['file.txt']);
    expect(args.options.get('json')).toBe(true);
    expect(numberOption(args, 'time-limit', 10)).toBe(2);
    expect(args.options.get('out')).toBe('/tmp/a=b.json');
  });

  it('refuses unknown options, missing values and bad numbers', () => {
    expect(() => parse(['--timelimit', '2'])).toThrow(UsageError);
    expect(() => parse(['--out'])).toThrow(UsageError);
    expect(() => numberOption(parse(['--time-limit', 'soon']), 'time-limit', 1)).toThrow(UsageError);
  });
});

describe('configuration from the environment', () => {
  it('has embedded defaults', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: undefined, redisUrl: undefined, dataDir: './.takt/data', erpConnections: [], timeLimitMs: 2000, solverThreads: 1, loadDemo: true });
  });

  it('reads pairs and lists', () => {
    const config = readConfig({ TAKT_FEEDS: 'erp=http://erp/feed, wms=http://wms/feed', TAKT_WEBHOOK_SECRETS: 'erp=s1', ERP_WRITEBACK_HEADERS: 'Authorization: Bearer x; X-Tenant: 7' });
    expect(config.feeds).toEqual({ erp: 'http://erp/feed', wms: 'http://wms/feed' });
    expect(config.webhookSecrets).toEqual({ erp: 's1' });
    expect(config.erpWritebackHeaders).toEqual({ Authorization: 'Bearer x', 'X-Tenant': '7' });
  });

  it('reads one ERP connection from TAKT_ERP…, its other settings from TAKT_ERP_OPTIONS', () => {
    const config = readConfig({
      TAKT_ERP: 'odoo', TAKT_ERP_PLANT: 'P1', TAKT_ERP_URL: 'https://odoo.example', TAKT_ERP_DATABASE: 'prod', TAKT_ERP_USER: 'takt',
      TAKT_ERP_PASSWORD: 'key', TAKT_ERP_COMPANY: '3', TAKT_ERP_POLL_MS: '2000', TAKT_ERP_OPTIONS: '{"version": 17, "priorityThreshold": 10}',
    });
    expect(config.erpConnections).toEqual([{
      kind: 'odoo', name: 'odoo', plant: 'P1', url: 'https://odoo.example', database: 'prod', login: 'takt', password: 'key',
      companyId: 3, version: 17, priorityThreshold: 10, pollIntervalMs: 2000,
    }]);
  });

  it('reads several ERP connections from a file, their secrets from the variables it names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'takt-config-'));
    const file = join(dir, 'connections.json');
    writeFileSync(file, JSON.stringify([
      { kind: 'tryton', plant: 'P1', url: 'http://tryton:8000', database: 'plant1', username: 'takt', passwordEnv: 'TRYTON_PASSWORD' },
      { kind: 'sap', name: 'sap-p2', plant: 'P2', url: 'https://s4.example', productionPlant: '1010', timeZone: 'Europe/Berlin', username: 'TAKT', passwordEnv: 'SAP_PASSWORD' },
    ]));
    const config = readConfig({ TAKT_ERP_CONNECTIONS: file, TRYTON_PASSWORD: 't-secret', SAP_PASSWORD: 's-secret' });
    expect(config.erpConnections).toEqual([
      { kind: 'tryton', name: 'tryton', plant: 'P1', url: 'http://tryton:8000', database: 'plant1', username: 'takt', password: 't-secret' },
      { kind: 'sap', name: 'sap-p2', plant: 'P2', host: 'https://s4.example', productionPlant: '1010', timeZone: 'Europe/Berlin', username: 'TAKT', password: 's-secret' },
    ]);
    expect(() => readConfig({ TAKT_ERP_CONNECTIONS: file, TRYTON_PASSWORD: 'x' })).toThrow(/SAP_PASSWORD is not set/);
    writeFileSync(file, JSON.stringify([{ kind: 'tryton', plant: 'P1', url: 'http://a', database: 'd', username: 'u', password: 'p' },
      { kind: 'tryton', name: 'second', plant: 'P1', url: 'http://b', database: 'd', username: 'u', password: 'p' }]));
    expect(() => readConfig({ TAKT_ERP_CONNECTIONS: file })).toThrow(/plant "P1" has two ERP connections/);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ ERP_WRITEBACK_KIND: 'navision' }, /ERP_WRITEBACK_KIND/],
    [{ ERP_WRITEBACK_KIND: 'odoo', ERP_WRITEBACK_URL: 'http://odoo' }, /TAKT_ERP=odoo/],
    [{ TAKT_ERP: 'navision', TAKT_ERP_PLANT: 'P1', TAKT_ERP_URL: 'http://erp' }, /kind must be tryton, odoo or sap/],
    [{ TAKT_ERP: 'tryton', TAKT_ERP_URL: 'http://erp' }, /needs plant/],
    [{ TAKT_ERP: 'tryton', TAKT_ERP_PLANT: 'P1', TAKT_ERP_URL: 'http://erp', TAKT_ERP_DATABASE: 'd', TAKT_ERP_USER: 'u' }, /needs password/],
    [{ TAKT_ERP: 'odoo', TAKT_ERP_PLANT: 'P1', TAKT_ERP_URL: 'http://erp', TAKT_ERP_DATABASE: 'd' }, /version must be one of 16, 17, 18, 19/],
    [{ TAKT_ERP: 'sap', TAKT_ERP_PLANT: 'P1', TAKT_ERP_URL: 'https://s4' }, /needs productionPlant/],
    [{ TAKT_ERP: 'tryton', TAKT_ERP_OPTIONS: '{not json' }, /TAKT_ERP_OPTIONS is not JSON/],
    [{ TAKT_ERP_CONNECTIONS: '/no/such/file.json' }, /cannot read/],
    [{ TAKT_FEEDS: 'crm=http://x' }, /TAKT_FEEDS/],
    [{ TAKT_SOLVER_THREADS: '-1' }, /TAKT_SOLVER_THREADS/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
