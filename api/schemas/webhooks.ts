/** Requests and answers of the outbound webhook routes. No view schema has a secret field, so none can leak. */
import { Type } from '@sinclair/typebox';
import { DELIVERY_STATUSES, EVENT_TYPES } from '../../sync/events-out/port.ts';
import { Instant, ReadonlyArrayOf, StringEnum } from './common.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 200 });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const EventType = StringEnum(EVENT_TYPES);

export const SubscriptionBodySchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2_000, format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', description: 'Where events are POSTed (http or https).' }),
    eventTypes: Type.Optional(Type.Union([Type.Array(EventType, { minItems: 1, maxItems: EVENT_TYPES.length, uniqueItems: true }), Type.Null()], {
      description: 'Omitted or null: every event type.',
    })),
    plants: Type.Optional(Type.Union([Type.Array(Id, { minItems: 1, maxItems: 1_000, uniqueItems: true }), Type.Null()], {
      description: 'Omitted or null: every plant.',
    })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { ...strict, title: 'NewWebhookSubscription' },
);

export const RotateSecretBodySchema = Type.Object(
  {
    overlapSeconds: Type.Optional(Type.Integer({
      minimum: 0, maximum: 7 * 24 * 3600,
      description: 'How long deliveries are signed with the old secret too (default 24 h); 0 drops it at once (after a leak).',
    })),
  },
  { ...strict, title: 'RotateWebhookSecret' },
);

export const SubscriptionSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    plants: Type.Union([ReadonlyArrayOf(Type.String()), Type.Null()]),
    eventTypes: Type.Union([ReadonlyArrayOf(EventType), Type.Null()]),
    active: Type.Boolean(),
    createdAt: Instant,
    secretRotatedAt: NullableInstant,
    previousSecretValidUntil: Type.Union([Instant, Type.Null()], {
      description: 'Until then every delivery carries a second `v1=` signature made with the secret before the last rotation.',
    }),
  },
  { title: 'WebhookSubscription' },
);

export const SubscriptionSecretSchema = Type.Object(
  {
    subscription: SubscriptionSchema,
    secret: Type.String({ description: 'Shown this once: takt signs deliveries with it (X-Takt-Signature) and never shows it again.' }),
  },
  { title: 'WebhookSubscriptionSecret' },
);

export const SubscriptionListSchema = Type.Object({ subscriptions: ReadonlyArrayOf(SubscriptionSchema) }, { title: 'WebhookSubscriptionList' });

export const SubscriptionParamsSchema = Type.Object({ id: Id });

export const DeletedSchema = Type.Object({ id: Type.String(), deleted: Type.Literal(true) }, { title: 'WebhookSubscriptionDeleted' });

export const DeliveryQuerySchema = Type.Object(
  {
    status: Type.Optional(StringEnum(DELIVERY_STATUSES)),
    subscription: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, default: 100 })),
  },
  strict,
);

export const DeliverySchema = Type.Object(
  {
    id: Type.String(),
    subscription: Type.String(),
    eventId: Type.String(),
    type: Type.String(),
    plant: Type.String(),
    status: StringEnum(DELIVERY_STATUSES),
    attempts: Type.Integer(),
    nextAttemptAt: Instant,
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: Instant,
    deliveredAt: NullableInstant,
    event: Type.Unknown(),
  },
  { title: 'WebhookDelivery' },
);

export const DeliveryListSchema = Type.Object({ deliveries: ReadonlyArrayOf(DeliverySchema) }, { title: 'WebhookDeliveryList' });
