/**
 * A planner's decision on a proposed version (plants under the `approve` policy). Approving
 * publishes it: its write-backs go to the outbox against what takt last wrote, and it becomes
 * what the MES's dispatch lists serve. An approval is refused when the proposal is no longer
 * the plant's newest version, or when events arrived after it was planned (its plan may no
 * longer hold; the plant is planned again and a new proposal follows). Under the plant's plan
 * lock, so no plan run commits meanwhile.
 */
import type { Principal, Result } from '../ports.ts';
import { failure } from '../failure.ts';
import type { Db } from '../store/database.ts';
import { linksOf } from '../store/erp-links.ts';
import { getPlantPolicy } from '../store/plant-policies.ts';
import { getPlantState } from '../store/plant-state.ts';
import { decideScheduleVersion, getScheduleVersion, latestVersionNumber } from '../store/schedule-versions.ts';
import { getPlant } from '../store/plants.ts';
import { tryLockPlant } from './advisory-lock.ts';
import { enqueuePublicationEvents, latestPublishedBefore } from '../events-out/enqueue.ts';
import { publishWritebacks, type PlanConnector } from './publish.ts';

export interface Decided {
  readonly version: number;
  readonly state: 'published' | 'discarded';
  /** Write-backs queued by the approval, to enqueue after the commit. */
  readonly outboxIds: readonly string[];
}

export async function decideProposal(
  db: Db, plant: string, version: number, decision: 'approve' | 'discard', principal: Principal, now: Date, connector: PlanConnector | null,
): Promise<Result<Decided>> {
  return db.transaction().execute(async (trx): Promise<Result<Decided>> => {
    if (!(await tryLockPlant(trx, plant))) return failure('plan_run_in_progress', `plant "${plant}" is being planned; try again in a moment`);
    const proposal = await getScheduleVersion(trx, plant, version);
    if (proposal === null) return failure('version_not_found', `plant "${plant}" has no version ${version}`, 'params.version');
    if (proposal.state !== 'proposed') return failure('not_proposed', `version ${version} is ${proposal.state}, not proposed`, 'params.version');
    if (decision === 'discard') {
      await decideScheduleVersion(trx, plant, version, 'discarded', principal.name, now);
      return { ok: true, value: { version, state: 'discarded', outboxIds: [] } };
    }
    const newest = await latestVersionNumber(trx, plant);
    if (newest !== version) return failure('proposal_superseded', `version ${newest} is newer than ${version}: review that one`, 'params.version');
    const state = await getPlantState(trx, plant);
    if (state !== null && proposal.generation !== null && (state.generation !== proposal.generation || state.dirty)) {
      return failure('proposal_outdated', `events arrived after version ${version} was planned; a new proposal is being planned`, 'params.version');
    }
    const [settings, policy] = [await getPlant(trx, plant), await getPlantPolicy(trx, plant)];
    const outboxIds = await publishWritebacks(trx, {
      plant, version, result: proposal.result, policy: policy.writeback, correlationId: null, timeZone: settings?.timeZone ?? 'UTC', now,
      connector: connector === null ? null : { plan: connector, links: await linksOf(trx, connector.connection, 'work_order') },
    });
    await decideScheduleVersion(trx, plant, version, 'published', principal.name, now);
    await enqueuePublicationEvents(trx, plant, await latestPublishedBefore(trx, plant, version), proposal, now);
    return { ok: true, value: { version, state: 'published', outboxIds } };
  });
}
