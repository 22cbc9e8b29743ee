/** An ERP write-back adapter: delivers one canonical payload and says how it went. */
import type { DeliveryOutcome } from './outcome.ts';
import type { WritebackPayload } from './payload.ts';

export interface WritebackAdapter {
  readonly kind: string;
  deliver(payload: WritebackPayload): Promise<DeliveryOutcome>;
}
