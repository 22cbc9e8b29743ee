/** A stored schedule version as the API shows it. */
import type { ScheduleVersionView } from '../ports.ts';
import type { StoredScheduleVersion } from '../store/schedule-versions.ts';

export function toScheduleView(stored: StoredScheduleVersion): ScheduleVersionView {
  const { result } = stored;
  return {
    plant: stored.plant,
    version: stored.version,
    createdAt: stored.createdAt,
    now: stored.now,
    reason: stored.reason,
    status: stored.status,
    state: stored.state,
    kpis: stored.kpis,
    operations: result.operations,
    orders: result.orders,
    problems: result.problems,
  };
}
