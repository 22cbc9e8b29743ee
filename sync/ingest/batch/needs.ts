/**
 * What a batch's events will look up, per plant, collected before planning so that the view
 * can be loaded in a few queries (one per table) instead of one per event.
 */

/** Tables whose rows the handlers only need to know exist. */
export type KeyTable = 'calendars' | 'items' | 'work_orders' | 'lots' | 'holds' | 'downtimes';

export class PlantNeeds {
  readonly keys = new Map<KeyTable, Set<string>>();
  /** Work centers: existence and unit count. */
  readonly workCenters = new Set<string>();
  /** Work orders whose routing (and existence) is needed. */
  readonly routings = new Set<string>();
  readonly receipts = new Set<string>();
  /** Work orders whose operations' progress is needed. */
  readonly progressOf = new Set<string>();

  key(table: KeyTable, key: string): void {
    let keys = this.keys.get(table);
    if (keys === undefined) this.keys.set(table, (keys = new Set()));
    keys.add(key);
  }

  workCenter(id: string): void {
    this.workCenters.add(id);
  }

  routing(workOrder: string): void {
    this.routings.add(workOrder);
  }

  receipt(id: string): void {
    this.receipts.add(id);
  }

  progress(workOrder: string): void {
    this.progressOf.add(workOrder);
  }
}

export class BatchNeeds {
  readonly plants = new Map<string, PlantNeeds>();

  of(plant: string): PlantNeeds {
    let needs = this.plants.get(plant);
    if (needs === undefined) this.plants.set(plant, (needs = new PlantNeeds()));
    return needs;
  }
}
