/** The plant routes: list, schedule, reschedule, what-if, work order, dispatch list, board state. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Takt } from '../../sync/ports.ts';
import { principalOf, requirePlant } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { emptyBodyIsEmptyObject } from '../body.ts';
import { unwrap } from '../result.ts';
import { authErrors, errorResponses, PlantParams } from '../schemas/common.ts';
import { PlantListSchema, PlantViewSchema } from '../schemas/plant-problem.ts';
import {
  DEFAULT_DISPATCH_HORIZON_HOURS,
  DispatchQuerySchema,
  OperationParamsSchema,
  PinBodySchema,
  PinViewSchema,
  RescheduleBodySchema,
  WhatIfBodySchema,
  WorkCenterParamsSchema,
  WorkOrderParamsSchema,
} from '../schemas/requests.ts';
import { DispatchListSchema, ScheduleVersionSchema, WhatIfViewSchema, WorkOrderViewSchema } from '../schemas/schedule.ts';

const security = [{ bearer: [] }];
const tags = ['plants'];

export const plantRoutes: FastifyPluginAsyncTypebox<{ takt: Takt }> = async (app, { takt }) => {
  const plantExists = requirePlant(takt);

  app.get(
    '/plants',
    {
      config: { scopes: ['planner'] },
      schema: {
        summary: 'List the plants this key may see',
        tags,
        security,
        response: { 200: PlantListSchema, ...errorResponses(...authErrors) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const plants = await takt.listPlants();
      return { plants: principal.plants === null ? plants : plants.filter((p) => principal.plants?.includes(p)) };
    },
  );

  app.get(
    '/plants/:plant/schedule',
    {
      config: { scopes: ['planner', 'mes'] },
      preHandler: plantExists,
      schema: {
        summary: 'The current schedule version: operations, orders, KPIs, problems',
        tags,
        security,
        params: PlantParams,
        response: { 200: ScheduleVersionSchema, ...errorResponses(...authErrors, 404) },
      },
    },
    async (request) => {
      const schedule = await takt.schedule(request.params.plant);
      if (schedule === null) throw new ApiError('schedule_not_found', `plant ${request.params.plant} has no schedule yet`);
      return schedule;
    },
  );

  app.post(
    '/plants/:plant/reschedule',
    {
      config: { scopes: ['planner'] },
      preValidation: emptyBodyIsEmptyObject,
      preHandler: plantExists,
      schema: {
        summary: 'Reschedule now and commit a new schedule version',
        tags,
        security,
        params: PlantParams,
        body: RescheduleBodySchema,
        response: { 200: ScheduleVersionSchema, ...errorResponses(...authErrors, 404, 409, 413, 415, 422) },
      },
    },
    async (request) => unwrap(await takt.reschedule(request.params.plant, request.body)),
  );

  app.post(
    '/plants/:plant/what-if',
    {
      config: { scopes: ['planner'] },
      preValidation: emptyBodyIsEmptyObject,
      preHandler: plantExists,
      schema: {
        summary: 'Reschedule with overrides, committing nothing; KPIs and the diff against the current version',
        tags,
        security,
        params: PlantParams,
        body: WhatIfBodySchema,
        response: { 200: WhatIfViewSchema, ...errorResponses(...authErrors, 404, 413, 415, 422, 503) },
      },
    },
    async (request) => unwrap(await takt.whatIf(request.params.plant, request.body)),
  );

  app.get(
    '/plants/:plant/work-orders/:id',
    {
      config: { scopes: ['planner'] },
      preHandler: plantExists,
      schema: {
        summary: 'Planned dates, lateness, dispatch priority and the reason chain of one work order',
        tags,
        security,
        params: WorkOrderParamsSchema,
        response: { 200: WorkOrderViewSchema, ...errorResponses(...authErrors, 404) },
      },
    },
    async (request) => unwrap(await takt.workOrder(request.params.plant, request.params.id)),
  );

  app.put(
    '/plants/:plant/work-orders/:id/operations/:op/pin',
    {
      config: { scopes: ['planner'] },
      preHandler: plantExists,
      schema: {
        summary: 'Pin an operation to a work center and start; the plant is rescheduled around it',
        tags,
        security,
        params: OperationParamsSchema,
        body: PinBodySchema,
        response: { 200: PinViewSchema, ...errorResponses(...authErrors, 404, 422) },
      },
    },
    async (request) => {
      const { plant, id, op } = request.params;
      return unwrap(await takt.pinOperation(plant, id, op, request.body, principalOf(request)));
    },
  );

  app.delete(
    '/plants/:plant/work-orders/:id/operations/:op/pin',
    {
      config: { scopes: ['planner'] },
      preHandler: plantExists,
      schema: {
        summary: 'Free a pinned operation; the plant is rescheduled',
        tags,
        security,
        params: OperationParamsSchema,
        response: { 200: PinViewSchema, ...errorResponses(...authErrors, 404) },
      },
    },
    async (request) => {
      const { plant, id, op } = request.params;
      return unwrap(await takt.pinOperation(plant, id, op, null, principalOf(request)));
    },
  );

  app.get(
    '/plants/:plant/work-centers/:wc/dispatch-list',
    {
      config: { scopes: ['mes'] },
      preHandler: plantExists,
      schema: {
        summary: 'The ordered operations a work center should run next',
        tags,
        security,
        params: WorkCenterParamsSchema,
        querystring: DispatchQuerySchema,
        response: { 200: DispatchListSchema, ...errorResponses(...authErrors, 404) },
      },
    },
    async (request) =>
      unwrap(
        await takt.dispatchList(
          request.params.plant,
          request.params.wc,
          request.query.horizonHours ?? DEFAULT_DISPATCH_HORIZON_HOURS,
        ),
      ),
  );

  app.get(
    '/plants/:plant/state',
    {
      config: { scopes: ['planner', 'mes'] },
      preHandler: plantExists,
      schema: {
        summary: "The plant's current problem (calendars, downtimes, orders) for the board",
        tags,
        security,
        params: PlantParams,
        response: { 200: PlantViewSchema, ...errorResponses(...authErrors, 404) },
      },
    },
    async (request) => unwrap(await takt.plantState(request.params.plant)),
  );
};
