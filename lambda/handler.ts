import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type Config, loadConfig } from './config.js';
import { MIDDY_OPTIONS } from './deadline.js';
import { httpApi, isHttpApiEvent } from './http.js';
import { requestParser } from './request.js';
import type { SweepResponse } from './response.js';
import { type RunHooks, runSweep } from './run.js';

export type HandlerResult = APIGatewayProxyStructuredResultV2 | SweepResponse;

/**
 * The sweep function: HTTP API events go through the routes, anything else is a schedule's input
 * or a direct invocation, whose bad input throws InvalidRequestError so the invocation fails.
 */
export function createHandler(
  config: Config,
  hooks: RunHooks = {},
): middy.MiddyfiedHandler<unknown, HandlerResult> {
  const parser = requestParser(config);
  const http = httpApi(parser, config, hooks);
  return middy<unknown, HandlerResult>(MIDDY_OPTIONS).handler((event: unknown, context: Context) =>
    isHttpApiEvent(event)
      ? http(event, context)
      : runSweep(parser.fromEvent(event), context, config, hooks),
  );
}

/** Read once at cold start: a bad setting fails the init, loudly, before any event. */
export const handler = createHandler(loadConfig());
