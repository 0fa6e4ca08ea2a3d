import middy, { type MiddlewareObj } from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { MIDDY_OPTIONS } from '../ground/deadline.js';
import { errorFields } from '../ground/error-line.js';
import { type LogWriter, writeLog } from '../ground/log.js';
import { httpErrorBody } from './http-error-body.js';
import { httpStatusOf } from './http-status-error.js';

/** An HTTP API entry point: an API Gateway HTTP API (payload 2.0) event in, a response out. */
export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
/** The inner handler: the router, typically. */
type Routes = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2> | APIGatewayProxyStructuredResultV2;

/** A middleware of the HTTP API stack. */
export type HttpMiddleware = MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2
>;

/**
 * The one middy instance of an HTTP API entry point, in both functions: normalised headers, then
 * `middlewares` (a route's body parsing), the routes; every error as the JSON error body, our own
 * failures logged with their cause.
 */
export function jsonHttp(
  routes: Routes,
  log: LogWriter = writeLog,
  middlewares: readonly HttpMiddleware[] = [],
): HttpApiHandler {
  const stack = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(MIDDY_OPTIONS)
    .use(httpHeaderNormalizer())
    .use(httpErrorHandler({ logger: (error: unknown) => logInternalError(error, log) }))
    .use(httpErrorBody());
  for (const middleware of middlewares) stack.use(middleware);
  const handler = stack.handler(routes);
  return (event, context) => handler(event, context);
}

/**
 * `middlewares` for the requests `matches` accepts only, in order (a route's own, within the one
 * instance: @middy/http-router would otherwise need a nested middy per route).
 */
export function onlyFor(
  matches: (event: APIGatewayProxyEventV2) => boolean,
  ...middlewares: readonly HttpMiddleware[]
): HttpMiddleware {
  return {
    before: async (request) => {
      if (!matches(request.event)) return;
      for (const middleware of middlewares) {
        const early = await middleware.before?.(request);
        if (early !== undefined) return early;
      }
    },
  };
}

/** A JSON response. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** True for an API Gateway HTTP API event in payload format 2.0. */
export function isHttpApiEvent(event: unknown): event is APIGatewayProxyEventV2 {
  const e = event as Partial<APIGatewayProxyEventV2> | null;
  return e?.version === '2.0' && typeof e.requestContext?.http?.method === 'string';
}

/** Logs our own failures with their cause; a caller's mistakes are answered, not logged. */
function logInternalError(error: unknown, log: LogWriter): void {
  if ((httpStatusOf(error) ?? 500) < 500) return;
  const cause = (error as { cause?: unknown }).cause ?? error;
  log({ level: 'ERROR', message: 'internal error', error: errorFields(cause) });
}
