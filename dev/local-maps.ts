import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { SweepResponse } from '../lambda/contract/response.js';
import { runPath, SWEEPS_PATH } from '../lambda/contract/routes.js';
import { renderIdMapPage } from '../lambda/idmap/index.js';
import { isHttpApiEvent, jsonResponse } from '../lambda/middleware/json-http.js';
import type { LocalHandler } from './local-api.js';

/** A sweep's id map on the local API: GET /sweeps/{id}/map, an HTML page. */
export const MAP_PATH = `${SWEEPS_PATH}/{id}/map`;
/** Sweeps whose map is kept, the oldest dropped first: a long `npm run serve` holds no more. */
export const MAX_KEPT_SWEEPS = 100;

const MAP_ROUTE = /^\/sweeps\/([^/]+)\/map\/?$/;

/**
 * `npm run serve` with id maps: every sweep answered through it (POST or GET /sweeps, /invoke,
 * a finished run's GET /sweeps/{id}) is kept, the last MAX_KEPT_SWEEPS of them, and
 * `GET /sweeps/{id}/map` answers its id map; a distributed run not yet read is asked for through
 * its GET /sweeps/{id}. Every other event goes to `handler` unchanged.
 */
export function withLocalMaps(handler: LocalHandler): LocalHandler {
  const kept = new Map<string, SweepResponse>();
  const keep = (response: SweepResponse | undefined) => {
    if (response === undefined) return;
    kept.delete(response.sweepId);
    kept.set(response.sweepId, response);
    const oldest = kept.keys().next().value;
    if (kept.size > MAX_KEPT_SWEEPS && oldest !== undefined) kept.delete(oldest);
  };

  return async (event, context) => {
    const route = isHttpApiEvent(event) ? MAP_ROUTE.exec(event.rawPath) : null;
    if (!isHttpApiEvent(event) || route === null || event.requestContext.http.method !== 'GET') {
      const result = await handler(event, context);
      keep(sweepOf(result));
      return result;
    }
    const id = decodeURIComponent(route[1] ?? '');
    if (!kept.has(id)) {
      // As API Gateway would send GET /sweeps/{id}: routers read the path from requestContext.
      const path = runPath(id);
      const http = { ...event.requestContext.http, path };
      const status = { ...event, rawPath: path, requestContext: { ...event.requestContext, http } };
      keep(sweepOf(await handler(status, context)));
    }
    const sweep = kept.get(id);
    if (sweep === undefined) {
      return jsonResponse(404, {
        error: {
          code: 'not_found',
          message: `no finished sweep ${id} here: the local API keeps the maps of the last ${MAX_KEPT_SWEEPS} sweeps it answered`,
        },
      });
    }
    const page = renderIdMapPage(sweep);
    return {
      statusCode: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
      body: page,
    } satisfies APIGatewayProxyStructuredResultV2;
  };
}

/** The sweep response a result holds (an invoke's object, or a 200 JSON body), if any. */
function sweepOf(result: unknown): SweepResponse | undefined {
  let value = result;
  const http = result as APIGatewayProxyStructuredResultV2 | undefined;
  if (typeof http?.statusCode === 'number') {
    if (http.statusCode !== 200 || typeof http.body !== 'string') return undefined;
    try {
      value = JSON.parse(http.body);
    } catch {
      return undefined;
    }
  }
  const sweep = value as Partial<SweepResponse> | undefined;
  const complete =
    typeof sweep?.sweepId === 'string' && sweep.range !== undefined && sweep.ids !== undefined;
  return complete ? (sweep as SweepResponse) : undefined;
}
