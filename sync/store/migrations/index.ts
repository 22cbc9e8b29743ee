/** Every migration, in order, named by file; the Migrator reads them from here, not from disk. */
import type { Migration } from 'kysely';
import * as initial from './0001_initial.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
};
