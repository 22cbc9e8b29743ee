/**
 * The narrow interface the HTTP layer uses to manage outbound webhooks, beside `Takt`
 * (sync/ports.ts): api/ depends on this file only; `createWebhookAdmin` (admin.ts) implements it.
 * A secret appears in exactly two answers, the creation and the rotation, and in no view.
 */
import type { Result } from '../ports.ts';
import { EVENT_TYPES, type WebhookEventType } from './event.ts';

export { EVENT_TYPES };
export type { WebhookEventType };

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface SubscriptionView {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  /** null: every plant. */
  readonly plants: readonly string[] | null;
  /** null: every event type. */
  readonly eventTypes: readonly WebhookEventType[] | null;
  readonly active: boolean;
  readonly createdAt: string;
  readonly secretRotatedAt: string | null;
  /** Until when deliveries also carry a signature with the secret before the last rotation (null: they do not). */
  readonly previousSecretValidUntil: string | null;
}

export interface NewSubscriptionRequest {
  readonly url: string;
  /** Omitted or null: every event type, including those added later. */
  readonly eventTypes?: readonly WebhookEventType[] | null;
  /** Omitted or null: every plant, including those added later. */
  readonly plants?: readonly string[] | null;
  readonly description?: string;
}

export interface RotateSecretRequest {
  /** How long deliveries are signed with the old secret too (default 24 h; 0: the old one stops now, e.g. after a leak). */
  readonly overlapSeconds?: number;
}

/** The only answers that carry a secret: store it now, takt never shows it again. */
export interface SubscriptionSecret {
  readonly subscription: SubscriptionView;
  readonly secret: string;
}

export interface DeliveryView {
  readonly id: string;
  readonly subscription: string;
  readonly eventId: string;
  readonly type: string;
  readonly plant: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
  /** The event as it is sent. */
  readonly event: unknown;
}

export interface DeliveryQuery {
  readonly status?: DeliveryStatus;
  readonly subscription?: string;
  /** Newest first; default 100. */
  readonly limit?: number;
}

export interface WebhookAdmin {
  createSubscription(request: NewSubscriptionRequest): Promise<Result<SubscriptionSecret>>;
  listSubscriptions(): Promise<readonly SubscriptionView[]>;
  /** Removes the subscription, its secrets and its deliveries (pending ones are not sent). */
  deleteSubscription(id: string): Promise<Result<{ readonly id: string; readonly deleted: true }>>;
  /** A new current secret; the old one keeps signing too for the overlap. */
  rotateSecret(id: string, request: RotateSecretRequest): Promise<Result<SubscriptionSecret>>;
  listDeliveries(query: DeliveryQuery): Promise<Result<readonly DeliveryView[]>>;
}
