/** Every migration, in order, named by file; the Migrator reads them from here, not from disk. */
import type { Migration } from 'kysely';
import * as initial from './0001_initial.ts';
import * as orderingAndCorrelation from './0002_ordering_and_correlation.ts';
import * as erpConnectors from './0003_erp_connectors.ts';
import * as publishingAndOutages from './0004_publishing_and_outages.ts';
import * as webhooks from './0005_webhooks.ts';
import * as versionContent from './0006_version_content.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_ordering_and_correlation': orderingAndCorrelation,
  '0003_erp_connectors': erpConnectors,
  '0004_publishing_and_outages': publishingAndOutages,
  '0005_webhooks': webhooks,
  '0006_version_content': versionContent,
};
