/**
 * `WebhookAdmin` over the store: subscriptions created with a takt-generated secret (answered
 * once), listed without secrets, deleted with their deliveries, rotated with an overlap during
 * which deliveries carry both signatures; and the deliveries, for an admin looking for a lost event.
 */
import { failure } from '../failure.ts';
import type { Failure } from '../ports.ts';
import type { Db } from '../store/database.ts';
import { listPlantIds } from '../store/plants.ts';
import { listDeliveries } from './deliveries.ts';
import type { WebhookAdmin } from './port.ts';
import { generateSecret, generateSubscriptionId } from './secrets.ts';
import { deleteSubscription, getSubscription, insertSubscription, listSubscriptions, rotateSubscriptionSecret } from './subscriptions.ts';

export interface WebhookAdminOptions {
  /** How long the old secret keeps signing after a rotation when the request does not say (default 24 h). */
  readonly rotationOverlapMs?: number;
}

export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 60 * 60_000;
const MAX_DELIVERIES = 1_000;

const notFound = (id: string, field = 'params.id'): Failure =>
  failure('webhook_subscription_not_found', `unknown webhook subscription "${id}"`, field);

/** http(s) only, and no credentials in it: URLs are shown in lists, secrets never are. */
function checkUrl(url: string): Failure | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return failure('invalid_webhook_url', `"${url}" is not a URL`, 'body.url');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return failure('invalid_webhook_url', 'a webhook URL is http or https', 'body.url');
  if (parsed.username !== '' || parsed.password !== '') {
    return failure('invalid_webhook_url', 'a webhook URL carries no credentials: receivers authenticate takt by the signature', 'body.url');
  }
  return null;
}

export function createWebhookAdmin(db: Db, clock: () => number = Date.now, options: WebhookAdminOptions = {}): WebhookAdmin {
  const overlapMs = options.rotationOverlapMs ?? DEFAULT_ROTATION_OVERLAP_MS;

  return {
    async createSubscription(request) {
      const badUrl = checkUrl(request.url);
      if (badUrl !== null) return badUrl;
      if (request.plants !== undefined && request.plants !== null) {
        // A typo in a plant filter would receive nothing, silently: refuse it now.
        const known = new Set(await listPlantIds(db));
        const unknown = request.plants.findIndex((p) => !known.has(p));
        if (unknown >= 0) return failure('plant_not_found', `unknown plant "${request.plants[unknown]}"`, `body.plants[${unknown}]`);
      }
      const secret = generateSecret();
      const subscription = await insertSubscription(db, {
        id: generateSubscriptionId(),
        url: request.url,
        description: request.description ?? null,
        plants: request.plants ?? null,
        eventTypes: request.eventTypes ?? null,
        secret,
        createdAt: new Date(clock()),
      });
      return { ok: true, value: { subscription, secret } };
    },

    listSubscriptions: () => listSubscriptions(db, new Date(clock())),

    async deleteSubscription(id) {
      return (await deleteSubscription(db, id)) ? { ok: true, value: { id, deleted: true } } : notFound(id);
    },

    async rotateSecret(id, request) {
      const now = clock();
      const overlap = request.overlapSeconds === undefined ? overlapMs : request.overlapSeconds * 1000;
      const secret = generateSecret();
      const subscription = await rotateSubscriptionSecret(db, id, secret, overlap > 0 ? new Date(now + overlap) : null, new Date(now));
      return subscription === null ? notFound(id) : { ok: true, value: { subscription, secret } };
    },

    async listDeliveries(query) {
      if (query.subscription !== undefined && (await getSubscription(db, query.subscription, new Date(clock()))) === null) {
        return notFound(query.subscription, 'query.subscription');
      }
      return { ok: true, value: await listDeliveries(db, { ...query, limit: Math.min(query.limit ?? 100, MAX_DELIVERIES) }) };
    },
  };
}
