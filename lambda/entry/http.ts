import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler from '@middy/http-router';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { SWEEPS_METHODS, SWEEPS_PATH } from '../contract/routes.js';
import type { LogWriter } from '../ground/log.js';
import { bodyLimit } from '../middleware/body-limit.js';
import { HttpStatusError } from '../middleware/http-status-error.js';
import { type HttpApiHandler, jsonHttp, jsonResponse, onlyFor } from '../middleware/json-http.js';
import type { RequestParser } from '../request/request.js';
import { isRunAccepted, type Sweeper } from './sweeper.js';

type HttpResult = APIGatewayProxyStructuredResultV2;

/** The HTTP API side of the handler: routes, body parsing and JSON errors, all middy. */
export function httpApi(parser: RequestParser, sweeper: Sweeper, log?: LogWriter): HttpApiHandler {
  const respond = async (
    input: unknown,
    source: 'body' | 'query',
    event: APIGatewayProxyEventV2,
    context: Context,
  ) => {
    const invocation = {
      awsRequestId: context.awsRequestId,
      getRemainingTimeInMillis: () => context.getRemainingTimeInMillis(),
      // API Gateway's 30 s started when it received the request, before any cold start.
      requestedAt: event.requestContext?.timeEpoch,
    };
    const outcome = await sweeper.answer(parser.fromApi(input, source), invocation);
    // A distributed sweep has only started: 202, and where to follow it.
    return isRunAccepted(outcome)
      ? jsonResponse(202, outcome, { Location: outcome.statusUrl })
      : jsonResponse(200, outcome);
  };
  const fromQuery = (event: APIGatewayProxyEventV2, context: Context) =>
    respond(event.queryStringParameters, 'query', event, context);
  const fromBody = (event: APIGatewayProxyEventV2, context: Context) =>
    respond(event.body, 'body', event, context);
  // The route the router picks for POST /sweeps (its static routes match the path exactly).
  const isPost = (event: APIGatewayProxyEventV2) =>
    event.requestContext?.http?.method === 'POST' && event.requestContext.http.path === SWEEPS_PATH;

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

  return jsonHttp(routes, log, [onlyFor(isPost, bodyLimit(), httpJsonBodyParser())]);
}
