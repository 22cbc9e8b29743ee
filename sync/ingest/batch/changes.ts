/**
 * What an accepted event does to plant state, as data: handlers plan changes against the
 * batch's view, and `write-changes.ts` writes all of a batch's changes in a few statements.
 * Each change replaces the whole row it names, so of several changes of one kind to one row
 * only the last one counts.
 */
import type {
  CalendarSpec, HoldSpec, ItemSpec, LotSpec, OperationTimeSpec, PlantSettings, ReceiptSpec, WorkCenterSpec, WorkOrderSpec, WorkOrderStatus,
} from '../../../scheduler/problem.ts';
import type { ReceiptStatus } from '../../store/database.ts';
import type { Breakdown } from '../../store/downtimes.ts';
import type { ProgressRecord } from '../../store/operation-progress.ts';

export type Change =
  | { readonly kind: 'plant'; readonly plant: string; readonly settings: PlantSettings }
  | { readonly kind: 'calendar'; readonly plant: string; readonly calendar: CalendarSpec }
  | { readonly kind: 'work-center'; readonly plant: string; readonly workCenter: WorkCenterSpec }
  | { readonly kind: 'item'; readonly plant: string; readonly item: ItemSpec }
  | { readonly kind: 'operation-time'; readonly plant: string; readonly time: OperationTimeSpec }
  | { readonly kind: 'work-order'; readonly plant: string; readonly order: WorkOrderSpec }
  | { readonly kind: 'work-order-status'; readonly plant: string; readonly id: string; readonly status: WorkOrderStatus }
  | { readonly kind: 'receipt'; readonly plant: string; readonly receipt: ReceiptSpec }
  | { readonly kind: 'receipt-status'; readonly plant: string; readonly id: string; readonly status: ReceiptStatus; readonly arrivedAt: string | null }
  | { readonly kind: 'lot'; readonly plant: string; readonly lot: LotSpec; readonly receipt: string | null }
  | { readonly kind: 'hold'; readonly plant: string; readonly hold: HoldSpec; readonly placedAt: string }
  | { readonly kind: 'hold-release'; readonly plant: string; readonly id: string; readonly releasedAt: string }
  | { readonly kind: 'downtime'; readonly plant: string; readonly downtime: Omit<Breakdown, 'open'> }
  | { readonly kind: 'downtime-end'; readonly plant: string; readonly id: string; readonly end: string }
  | { readonly kind: 'progress'; readonly plant: string; readonly record: ProgressRecord };

export type ChangeKind = Change['kind'];
export type ChangeOf<K extends ChangeKind> = Extract<Change, { readonly kind: K }>;
