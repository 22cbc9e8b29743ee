/**
 * Bearer-key authentication and scope/plant authorization, driven by each route's
 * `config.scopes`. Routes without `config.scopes` are public (health, docs, the board's files).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal, Scope, Takt } from '../sync/ports.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scopes any one of which admits the caller; `admin` always does. */
    scopes?: readonly Scope[];
    /** The route takes signed webhooks (verified before the body is parsed). */
    webhook?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function hasScope(principal: Principal, scopes: readonly Scope[]): boolean {
  return principal.scopes.includes('admin') || principal.scopes.some((s) => scopes.includes(s));
}

export function mayAccessPlant(principal: Principal, plant: string): boolean {
  return principal.plants === null || principal.plants.includes(plant);
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** The authenticated caller of a route that declares scopes. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ApiError('internal', 'route has no authenticated principal');
  return request.principal;
}

export function installAuth(app: FastifyInstance, takt: Takt): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const scopes = request.routeOptions.config.scopes;
    if (scopes === undefined) return;
    const token = bearerToken(request.headers.authorization);
    if (token === null) throw new ApiError('unauthorized', 'missing bearer token (Authorization: Bearer <api key>)', 'headers.authorization');
    const principal = await takt.authenticate(token);
    if (principal === null) throw new ApiError('unauthorized', 'unknown or revoked API key', 'headers.authorization');
    if (!hasScope(principal, scopes)) {
      throw new ApiError('forbidden_scope', `this route needs one of the scopes: ${scopes.join(', ')}`);
    }
    const plant = (request.params as { plant?: unknown } | undefined)?.plant;
    // A plant the key may not see answers as one that does not exist: the answer must not tell them apart.
    if (typeof plant === 'string' && !mayAccessPlant(principal, plant)) {
      throw plantNotFound(plant);
    }
    request.principal = principal;
  });
}

/** preHandler for plant routes: 404 `plant_not_found` before the handler runs. */
export function requirePlant(takt: Takt) {
  return async (request: FastifyRequest): Promise<void> => {
    const plant = (request.params as { plant?: unknown }).plant;
    if (typeof plant !== 'string' || !(await takt.plantExists(plant))) throw plantNotFound(String(plant));
  };
}

const plantNotFound = (plant: string) => new ApiError('plant_not_found', `plant ${plant} not found`, 'params.plant');
