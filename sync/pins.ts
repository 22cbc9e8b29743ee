/**
 * Planner pins: checked against the order's routing, the work center's units and the clock (no
 * pin in the past), stored, and the plant marked dirty in the same transaction (the pin is the
 * cause of the next plan run). A pin its routing contradicts is released by the engine, which
 * says so (scheduler/dispatch/contradicted-pins.ts).
 */
import { failure } from './failure.ts';
import type { PinRequest, PinView, Principal, Result } from './ports.ts';
import type { Db } from './store/database.ts';
import { removePin, setPin } from './store/pins.ts';
import { markPlantsDirty } from './store/plant-state.ts';
import { getWorkCenterUnits } from './store/work-centers.ts';
import { getRouting } from './store/work-orders.ts';


export async function pinOperation(
  db: Db, plant: string, workOrder: string, operation: string, pin: PinRequest | null, principal: Principal, now: Date,
): Promise<Result<PinView>> {
  return db.transaction().execute(async (trx): Promise<Result<PinView>> => {
    const routing = await getRouting(trx, plant, workOrder);
    if (routing === null) return failure('work_order_not_found', `unknown work order "${workOrder}"`, 'params.id');
    const step = routing.find((op) => op.id === operation);
    if (!step) return failure('operation_not_found', `work order "${workOrder}" has no operation "${operation}"`, 'params.op');
    const key = { workOrder, operation };
    if (pin === null) {
      await removePin(trx, plant, key);
    } else {
      if (!step.workCenters.includes(pin.workCenter)) {
        return failure('unprocessable', `operation ${operation} runs on ${step.workCenters.join(', ')}, not on "${pin.workCenter}"`, 'body.workCenter');
      }
      // A pin plans future work; work that has begun is the MES's to report (operation.started).
      if (Date.parse(pin.start) < now.getTime()) {
        return failure('pin_in_past', `the pin starts at ${pin.start}, before now (${now.toISOString()}): pin a start in the future`, 'body.start');
      }
      const units = await getWorkCenterUnits(trx, plant, pin.workCenter);
      if (units !== null && (pin.unit ?? 1) > units) return failure('unprocessable', `work center "${pin.workCenter}" has ${units} unit(s)`, 'body.unit');
      await setPin(trx, plant, key, pin, principal.keyId);
    }
    await markPlantsDirty(trx, [plant], now, new Map([[plant, `pin:${workOrder}/${operation}`]]));
    return { ok: true, value: { workOrder, operation, pin } };
  });
}
