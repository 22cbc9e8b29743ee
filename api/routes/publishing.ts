/** Publishing: the proposal a planner reviews, the decision on it, and takt's own plant policy. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Takt } from '../../sync/ports.ts';
import { principalOf, requirePlant } from '../auth.ts';
import { unwrap } from '../result.ts';
import { authErrors, errorResponses, PlantParams } from '../schemas/common.ts';
import { DecisionViewSchema, PlantPolicySchema, ProposalViewSchema, VersionParamsSchema } from '../schemas/publishing.ts';

const security = [{ bearer: [] }];
const tags = ['publishing'];

export const publishingRoutes: FastifyPluginAsyncTypebox<{ takt: Takt }> = async (app, { takt }) => {
  const plantExists = requirePlant(takt);

  app.get('/plants/:plant/proposal', {
    config: { scopes: ['planner'] },
    preHandler: plantExists,
    schema: {
      summary: 'The newest proposed version (approve policy) with its changes and KPIs against the published one; null when none awaits approval',
      tags, security, params: PlantParams,
      response: { 200: Type.Union([ProposalViewSchema, Type.Null()]), ...errorResponses(...authErrors, 404) },
    },
  }, async (request) => unwrap(await takt.proposal(request.params.plant)));

  for (const decision of ['approve', 'discard'] as const) {
    app.post(`/plants/:plant/versions/:version/${decision}`, {
      config: { scopes: ['planner'] },
      preHandler: plantExists,
      schema: {
        summary: decision === 'approve'
          ? 'Publish a proposed version: its write-backs go to the ERP, the MES is served it (refused if events arrived after it was planned)'
          : 'Discard a proposed version',
        tags, security, params: VersionParamsSchema,
        response: { 200: DecisionViewSchema, ...errorResponses(...authErrors, 404, 409) },
      },
    }, async (request) => unwrap(await takt.decide(request.params.plant, request.params.version, decision, principalOf(request))));
  }

  app.get('/plants/:plant/policy', {
    config: { scopes: ['planner'] },
    preHandler: plantExists,
    schema: {
      summary: "takt's policy for the plant: publishing, and what change is worth writing to the ERP",
      tags, security, params: PlantParams,
      response: { 200: PlantPolicySchema, ...errorResponses(...authErrors, 404) },
    },
  }, async (request) => unwrap(await takt.policy(request.params.plant)));

  app.put('/plants/:plant/policy', {
    config: { scopes: ['admin'] },
    preHandler: plantExists,
    schema: {
      summary: "Sets takt's policy for the plant",
      tags, security, params: PlantParams, body: PlantPolicySchema,
      response: { 200: PlantPolicySchema, ...errorResponses(...authErrors, 400, 404, 422) },
    },
  }, async (request) => unwrap(await takt.setPolicy(request.params.plant, request.body, principalOf(request))));
};
