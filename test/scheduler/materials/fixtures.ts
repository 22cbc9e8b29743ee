import type { SupplyModel } from '../../../scheduler/model.ts';
import type { DemandInput } from '../../../scheduler/materials/allocate.ts';

export function lot(id: string, quantity: number, availableAt = 0, expiresAt: number | null = null, item = 'X'): SupplyModel {
  return { id, kind: 'lot', item, quantity, availableAt, expiresAt, producer: null };
}

export function receipt(id: string, quantity: number, availableAt: number, item = 'X'): SupplyModel {
  return { id, kind: 'receipt', item, quantity, availableAt, expiresAt: null, producer: null };
}

export function output(id: string, quantity: number, availableAt: number, producer: number, item = 'X'): SupplyModel {
  return { id, kind: 'order', item, quantity, availableAt, expiresAt: null, producer };
}

export function demand(index: number, quantity: number, needBy: number, weight = 1, earliestStart = 0, item = 'X'): DemandInput {
  return { demand: index, item, quantity, needBy, earliestStart, weight };
}
