/**
 * Admin routes over outbound webhooks: subscriptions (a secret answered once, at creation and at
 * rotation) and their deliveries. The core is reached through `WebhookAdmin` only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WebhookAdmin } from '../../sync/events-out/port.ts';
import { emptyBodyIsEmptyObject } from '../body.ts';
import { unwrap } from '../result.ts';
import { authErrors, errorResponses } from '../schemas/common.ts';
import {
  DeletedSchema,
  DeliveryListSchema,
  DeliveryQuerySchema,
  RotateSecretBodySchema,
  SubscriptionBodySchema,
  SubscriptionListSchema,
  SubscriptionParamsSchema,
  SubscriptionSecretSchema,
} from '../schemas/webhooks.ts';

const security = [{ bearer: [] }];
const tags = ['webhooks'];
const admin = { scopes: ['admin'] } as const;

export const webhookRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhookAdmin }> = async (app, { webhooks }) => {
  app.post(
    '/webhooks/subscriptions',
    {
      config: admin,
      schema: {
        summary: 'Subscribe a URL to signed events; the answer carries its secret, shown this once',
        tags,
        security,
        body: SubscriptionBodySchema,
        response: { 201: SubscriptionSecretSchema, ...errorResponses(...authErrors, 404, 422) },
      },
    },
    async (request, reply) => {
      const created = unwrap(await webhooks.createSubscription(request.body));
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/webhooks/subscriptions',
    {
      config: admin,
      schema: {
        summary: 'Every subscription (without secrets)',
        tags,
        security,
        response: { 200: SubscriptionListSchema, ...errorResponses(...authErrors) },
      },
    },
    async () => ({ subscriptions: await webhooks.listSubscriptions() }),
  );

  app.delete(
    '/webhooks/subscriptions/:id',
    {
      config: admin,
      schema: {
        summary: 'Unsubscribe: the subscription, its secrets and its deliveries (pending ones are not sent) are removed',
        tags,
        security,
        params: SubscriptionParamsSchema,
        response: { 200: DeletedSchema, ...errorResponses(...authErrors, 404) },
      },
    },
    async (request) => unwrap(await webhooks.deleteSubscription(request.params.id)),
  );

  app.post(
    '/webhooks/subscriptions/:id/rotate-secret',
    {
      config: admin,
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        summary: 'A new secret, shown this once; deliveries are signed with the old one too for the overlap',
        tags,
        security,
        params: SubscriptionParamsSchema,
        body: RotateSecretBodySchema,
        response: { 200: SubscriptionSecretSchema, ...errorResponses(...authErrors, 404) },
      },
    },
    async (request) => unwrap(await webhooks.rotateSecret(request.params.id, request.body)),
  );

  app.get(
    '/webhooks/deliveries',
    {
      config: admin,
      schema: {
        summary: 'Deliveries, newest first, by status and subscription',
        tags,
        security,
        querystring: DeliveryQuerySchema,
        response: { 200: DeliveryListSchema, ...errorResponses(...authErrors, 404) },
      },
    },
    async (request) => ({ deliveries: unwrap(await webhooks.listDeliveries(request.query)) }),
  );
};
