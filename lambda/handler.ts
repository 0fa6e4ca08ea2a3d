import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type Config, loadConfig } from './config.js';
import { MIDDY_OPTIONS } from './deadline.js';
import { isShardEvent, parseShardEvent } from './distributed/messages.js';
import { runShard } from './distributed/shard.js';
import { httpApi } from './http.js';
import { isHttpApiEvent } from './middleware/json-http.js';
import { requestParser } from './request.js';
import { type RequestOutcome, type RunHooks, runRequest } from './run.js';
import type { SweepAggregate } from './sweep/aggregate.js';

export type HandlerResult = APIGatewayProxyStructuredResultV2 | RequestOutcome | SweepAggregate;

/**
 * The sweep function: HTTP API events go through the routes; a distributed sweep's shard returns
 * its raw aggregate; anything else is a schedule's input or a direct invocation, whose bad input
 * throws InvalidRequestError so the invocation fails.
 */
export function createHandler(
  config: Config,
  hooks: RunHooks = {},
): middy.MiddyfiedHandler<unknown, HandlerResult> {
  const parser = requestParser(config);
  const http = httpApi(parser, config, hooks);
  return middy<unknown, HandlerResult>(MIDDY_OPTIONS).handler(
    (event: unknown, context: Context) => {
      if (isHttpApiEvent(event)) return http(event, context);
      if (isShardEvent(event)) return runShard(parseShardEvent(event), context, config, hooks);
      return runRequest(parser.fromEvent(event), context, config, hooks);
    },
  );
}

/** Read once at cold start: a bad setting fails the init, loudly, before any event. */
export const handler = createHandler(loadConfig());
