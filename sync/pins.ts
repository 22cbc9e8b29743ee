/**
 * Planner pins: checked against the order's routing and the work center's units, stored, and
 * the plant marked dirty in the same transaction (the pin is the cause of the next plan run).
 */
import type { Failure, PinRequest, PinView, Principal, Result } from './ports.ts';
import type { Db } from './store/database.ts';
import { removePin, setPin } from './store/pins.ts';
import { markPlantsDirty } from './store/plant-state.ts';
import { getWorkCenterUnits } from './store/work-centers.ts';
import { getRouting } from './store/work-orders.ts';

const failure = (code: string, field: string, message: string): Failure => ({ ok: false, code, field, message });

export async function pinOperation(
  db: Db, plant: string, workOrder: string, operation: string, pin: PinRequest | null, principal: Principal, now: Date,
): Promise<Result<PinView>> {
  return db.transaction().execute(async (trx): Promise<Result<PinView>> => {
    const routing = await getRouting(trx, plant, workOrder);
    if (routing === null) return failure('work_order_not_found', 'params.id', `unknown work order "${workOrder}"`);
    const step = routing.find((op) => op.id === operation);
    if (!step) return failure('operation_not_found', 'params.op', `work order "${workOrder}" has no operation "${operation}"`);
    const key = { workOrder, operation };
    if (pin === null) {
      await removePin(trx, plant, key);
    } else {
      if (!step.workCenters.includes(pin.workCenter)) {
        return failure('unprocessable', 'body.workCenter', `operation ${operation} runs on ${step.workCenters.join(', ')}, not on "${pin.workCenter}"`);
      }
      const units = await getWorkCenterUnits(trx, plant, pin.workCenter);
      if (units !== null && (pin.unit ?? 1) > units) return failure('unprocessable', 'body.unit', `work center "${pin.workCenter}" has ${units} unit(s)`);
      await setPin(trx, plant, key, pin, principal.keyId);
    }
    await markPlantsDirty(trx, [plant], now, new Map([[plant, `pin:${workOrder}/${operation}`]]));
    return { ok: true, value: { workOrder, operation, pin } };
  });
}
