/**
 * The events takt sends out when a schedule version is published, and their envelope. The id
 * names the fact, not the sending: the same fact in the same version always has the same id, so
 * a receiver that has seen an id may drop a repeat (deliveries are at least once).
 */
import type { Kpis, ReasonLink } from '../../scheduler/result.ts';

export const EVENT_TYPES = ['shortage.raised', 'shortage.cleared', 'order.late', 'order.on_time', 'schedule.published'] as const;
export type WebhookEventType = (typeof EVENT_TYPES)[number];

export interface ShortageRaisedData {
  readonly workOrder: string;
  readonly item: string;
  /** Over every operation of the order that lacks the item. */
  readonly missingQuantity: number;
  /** The earliest planned start of those operations, else the earliest the order could start (max of now and its release). */
  readonly neededBy: string;
  /** When the item would be there if the order had priority over those that got it (null: not in the horizon). */
  readonly earliestCoverAt: string | null;
  readonly operations: readonly string[];
  /** Every order of the version short of this item (this one included): what buying it unblocks. */
  readonly blockedOrders: readonly string[];
}

export interface ShortageClearedData {
  readonly workOrder: string;
  readonly item: string;
  /** `covered`: the order is planned without the shortage; `order-closed`: it is no longer planned (closed, completed or deleted). */
  readonly reason: 'covered' | 'order-closed';
  readonly previousMissingQuantity: number;
}

export interface OrderLatenessData {
  readonly workOrder: string;
  readonly status: 'scheduled' | 'unscheduled';
  /** null when unscheduled. */
  readonly plannedEnd: string | null;
  readonly due: string;
  /** Minutes after due (negative: early); null when unscheduled. */
  readonly latenessMinutes: number | null;
  /** In the previous published version; null when the order was not in it (or there was none). */
  readonly previous: { readonly plannedEnd: string | null; readonly latenessMinutes: number | null } | null;
  /** For a late order: the binding constraints, last one first. */
  readonly reasons: readonly ReasonLink[];
}

export interface SchedulePublishedData {
  readonly plant: string;
  readonly version: number;
  /** The solve status (`optimal-or-feasible`, `feasible-late`, `partial`). */
  readonly status: string;
  /** The instant the schedule starts from. */
  readonly now: string;
  readonly kpis: Kpis;
  readonly counts: {
    readonly operations: number;
    readonly orders: number;
    readonly scheduledOrders: number;
    readonly unscheduledOrders: number;
    readonly lateOrders: number;
    readonly problems: number;
    readonly shortages: number;
  };
  /** GET this (with an API key) for the whole schedule. */
  readonly schedulePath: string;
}

export interface EventData {
  readonly 'shortage.raised': ShortageRaisedData;
  readonly 'shortage.cleared': ShortageClearedData;
  readonly 'order.late': OrderLatenessData;
  readonly 'order.on_time': OrderLatenessData;
  readonly 'schedule.published': SchedulePublishedData;
}

export interface WebhookEvent<T extends WebhookEventType = WebhookEventType> {
  readonly id: string;
  readonly type: T;
  readonly plant: string;
  /** When the version was published. */
  readonly occurredAt: string;
  /** The published schedule version the fact holds in. */
  readonly version: number;
  readonly data: EventData[T];
}

/** Any event, narrowed by `type`. */
export type AnyWebhookEvent = { readonly [T in WebhookEventType]: WebhookEvent<T> }[WebhookEventType];

/**
 * `<plant>:v<version>:<type>[:<key parts>]`, each part percent-encoded so that ids with colons
 * cannot collide (`WO:1` + `X` is not `WO` + `1:X`).
 */
export function eventId(plant: string, version: number, type: WebhookEventType, ...key: readonly string[]): string {
  return [encodeURIComponent(plant), `v${version}`, type, ...key.map(encodeURIComponent)].join(':');
}

export function isEventType(value: string): value is WebhookEventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
