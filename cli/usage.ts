/** Each command's usage line: `takt help` lists them without loading any command. */
export const COMMANDS = {
  start: { usage: 'start', what: 'API + worker on the embedded defaults (or DATABASE_URL / REDIS_URL)' },
  worker: { usage: 'worker', what: 'queue workers only (needs DATABASE_URL and REDIS_URL)' },
  migrate: { usage: 'migrate', what: 'apply database migrations' },
  keys: { usage: 'keys create --name NAME --scopes erp,mes,… [--plants P1,P2] | keys list | keys revoke ID', what: 'API keys' },
  solve: { usage: 'solve PROBLEM.json [--time-limit S] [--stop-without-improvement S] [--seed N] [--out FILE]', what: 'solve a plant problem file offline' },
  jssp: { usage: 'jssp FILE [--time-limit S] [--stop-without-improvement S] [--seed N] [--json]', what: 'solve an OR-Library job-shop instance (stops early at a proven optimum)' },
} as const;

export type CommandName = keyof typeof COMMANDS;

export const usageOf = (name: CommandName): string => `usage: takt ${COMMANDS[name].usage}`;
