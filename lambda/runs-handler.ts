import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type Config, loadConfig } from './config.js';
import { budgetOf, MIDDY_OPTIONS, metricsDeadline } from './deadline.js';
import { finishRun } from './distributed/finish.js';
import { isReduceEvent, parseReduceEvent, type ReduceEvent } from './distributed/messages.js';
import { readShardAggregates, writeResult } from './distributed/results.js';
import { describeRun } from './distributed/status.js';
import { ConfigError, InvalidRequestError } from './errors.js';
import { HttpStatusError } from './middleware/http-status-error.js';
import { isHttpApiEvent, jsonHttp, jsonResponse } from './middleware/json-http.js';
import { RUN_PATH } from './routes.js';

/** Sweep ids are UUIDs: anything else cannot name an execution. */
const SWEEP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** How soon a caller following a running sweep should ask again. */
const POLL_AFTER_SECONDS = 5;

/** What the reduce step returns to the state machine: small, whatever the range. */
export interface ReduceOutput {
  readonly sweepId: string;
  readonly total: number;
  readonly complete: boolean;
  readonly notAttempted: number;
  readonly failedShards: number;
  readonly resultKey: string;
}

/**
 * The runs function: `GET /sweeps/{id}` follows a distributed sweep; the state machine's reduce
 * step merges the shards, publishes the run's metrics once and keeps the result in S3.
 */
export function createRunsHandler(config: Config) {
  const where = () => {
    if (!config.stateMachineArn || !config.resultsBucket) {
      throw new ConfigError('the runs function needs STATE_MACHINE_ARN and RESULTS_BUCKET');
    }
    return { stateMachineArn: config.stateMachineArn, resultsBucket: config.resultsBucket };
  };

  const status = async (event: APIGatewayProxyEventV2) => {
    const sweepId = event.pathParameters?.id ?? '';
    if (!SWEEP_ID.test(sweepId)) {
      throw new InvalidRequestError(`invalid sweep id: must be a UUID, got "${sweepId}"`, {
        id: ['must be a UUID'],
      });
    }
    const run = await describeRun(sweepId, where());
    if (!run) throw new HttpStatusError(404, `no sweep ${sweepId}`);
    if (run.status === 'SUCCEEDED') return jsonResponse(200, run.result);
    if (run.status === 'RUNNING') {
      return jsonResponse(202, run, { 'Retry-After': String(POLL_AFTER_SECONDS) });
    }
    return jsonResponse(200, run);
  };

  const http = jsonHttp(
    httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
      routes: [{ method: 'GET', path: RUN_PATH, handler: status }],
      notFoundResponse: ({ method, path }) => {
        throw new HttpStatusError(404, `no route for ${method} ${path}`);
      },
    }),
  );

  const reduce = async (event: ReduceEvent, context: Context): Promise<ReduceOutput> => {
    const { resultsBucket } = where();
    const shards = await readShardAggregates(event.results);
    const now = Date.now();
    const budget = budgetOf({
      now,
      remainingMs: context.getRemainingTimeInMillis(),
      viaApiGateway: false,
    });
    const response = await finishRun(
      event.run,
      shards,
      { startedAt: Date.parse(event.startedAt), endedAt: now },
      { config, metricsDeadline: metricsDeadline(budget, now), requestId: context.awsRequestId },
    );
    const resultKey = await writeResult(resultsBucket, response);
    return {
      sweepId: response.sweepId,
      total: response.total,
      complete: response.complete,
      notAttempted: response.notAttempted,
      failedShards: response.failedShards?.length ?? 0,
      resultKey,
    };
  };

  return middy<unknown, unknown>(MIDDY_OPTIONS).handler((event: unknown, context: Context) => {
    if (isHttpApiEvent(event)) return http(event, context);
    if (isReduceEvent(event)) return reduce(parseReduceEvent(event), context);
    throw new InvalidRequestError('the runs function takes HTTP API events and reduce events');
  });
}

/** Read once at cold start. */
export const handler = createRunsHandler(loadConfig());
