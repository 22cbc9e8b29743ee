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
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: undefined, redisUrl: undefined, dataDir: './.takt/data', erpWritebackKind: 'generic', timeLimitMs: 2000, solverThreads: 1, loadDemo: true });
  });

  it('reads pairs and lists', () => {
    const config = readConfig({ TAKT_FEEDS: 'erp=http://erp/feed, wms=http://wms/feed', TAKT_WEBHOOK_SECRETS: 'erp=s1', ERP_WRITEBACK_HEADERS: 'Authorization: Bearer x; X-Tenant: 7' });
    expect(config.feeds).toEqual({ erp: 'http://erp/feed', wms: 'http://wms/feed' });
    expect(config.webhookSecrets).toEqual({ erp: 's1' });
    expect(config.erpWritebackHeaders).toEqual({ Authorization: 'Bearer x', 'X-Tenant': '7' });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ ERP_WRITEBACK_KIND: 'navision' }, /ERP_WRITEBACK_KIND/],
    [{ ERP_WRITEBACK_KIND: 'odoo', ERP_WRITEBACK_URL: 'http://odoo' }, /ODOO_DATABASE/],
    [{ TAKT_FEEDS: 'crm=http://x' }, /TAKT_FEEDS/],
    [{ TAKT_SOLVER_THREADS: '-1' }, /TAKT_SOLVER_THREADS/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
