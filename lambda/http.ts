import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler, { type Method } from '@middy/http-router';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { Config } from './config.js';
import { MIDDY_OPTIONS } from './deadline.js';
import { bodyLimit } from './middleware/body-limit.js';
import { httpErrorBody } from './middleware/http-error-body.js';
import { HttpStatusError, httpStatusOf } from './middleware/http-status-error.js';
import type { RequestParser } from './request.js';
import { type RunHooks, runSweep } from './run.js';

/** The deployed routes (infra/ declares the same ones on the HTTP API). */
export const SWEEPS_PATH = '/sweeps';
export const SWEEPS_METHODS = ['GET', 'POST'] as const satisfies readonly Method[];

type HttpResult = APIGatewayProxyStructuredResultV2;

/** True for an API Gateway HTTP API event in payload format 2.0. */
export function isHttpApiEvent(event: unknown): event is APIGatewayProxyEventV2 {
  const e = event as Partial<APIGatewayProxyEventV2> | null;
  return e?.version === '2.0' && typeof e.requestContext?.http?.method === 'string';
}

/** The HTTP API side of the handler: routes, body parsing and JSON errors, all middy. */
export function httpApi(
  parser: RequestParser,
  config: Config,
  hooks: RunHooks,
): middy.MiddyfiedHandler<APIGatewayProxyEventV2, HttpResult> {
  const respond = async (input: unknown, source: 'body' | 'query', context: Context) => {
    const response = await runSweep(parser.fromApi(input, source), context, config, hooks);
    return {
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(response),
    } satisfies HttpResult;
  };
  const fromQuery = (event: APIGatewayProxyEventV2, context: Context) =>
    respond(event.queryStringParameters, 'query', context);
  const fromBody = middy<APIGatewayProxyEventV2, HttpResult>(MIDDY_OPTIONS)
    .use(bodyLimit())
    .use(httpJsonBodyParser())
    .handler((event, context) => respond(event.body, 'body', context));

  const routes = httpRouterHandler<APIGatewayProxyEventV2, HttpResult>({
    routes: [
      { method: 'GET', path: SWEEPS_PATH, handler: fromQuery },
      { method: 'POST', path: SWEEPS_PATH, handler: fromBody },
    ],
    notFoundResponse: ({ method, path }) => {
      if (path.replace(/\/$/, '') === SWEEPS_PATH) {
        throw new HttpStatusError(405, `${method} is not allowed on ${SWEEPS_PATH}`, {
          headers: { Allow: SWEEPS_METHODS.join(', ') },
        });
      }
      throw new HttpStatusError(404, `no route for ${method} ${path}`);
    },
  });

  return middy<APIGatewayProxyEventV2, HttpResult>(MIDDY_OPTIONS)
    .use(httpHeaderNormalizer())
    .use(httpErrorHandler({ logger: logInternalError }))
    .use(httpErrorBody())
    .handler(routes);
}

/** Logs our own failures with their cause; a caller's mistakes are answered, not logged. */
function logInternalError(error: unknown): void {
  if ((httpStatusOf(error) ?? 500) < 500) return;
  const cause = (error as { cause?: unknown }).cause ?? error;
  console.error(
    JSON.stringify({
      level: 'ERROR',
      message: 'internal error',
      error:
        cause instanceof Error
          ? { name: cause.name, message: cause.message, stack: cause.stack }
          : String(cause),
    }),
  );
}
