import httpRouterHandler from '@middy/http-router';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { createConcluder } from '../conclude/conclude.js';
import type { SweepHooks } from '../conclude/hooks.js';
import { RUN_PATH } from '../contract/routes.js';
import { isReduceEvent, parseReduceEvent } from '../distributed/messages.js';
import { readShardAggregates, writeResult } from '../distributed/results.js';
import type { Runs } from '../distributed/runs-port.js';
import { describeRun } from '../distributed/status.js';
import { stepFunctionsRuns } from '../distributed/step-functions-runs.js';
import type { Config } from '../ground/config.js';
import { ConfigError, InvalidEventError, InvalidRequestError } from '../ground/errors.js';
import { inInvocation, type LogWriter, withInvocationFields, writeLog } from '../ground/log.js';
import { describeProblems } from '../ground/validation.js';
import { HttpStatusError } from '../middleware/http-status-error.js';
import {
  type HttpApiHandler,
  isHttpApiEvent,
  jsonHttp,
  jsonResponse,
} from '../middleware/json-http.js';

/** Sweep ids are UUIDs: anything else cannot name an execution. */
const SWEEP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** How soon a caller following a running sweep should ask again (`Retry-After`, seconds). */
export const POLL_AFTER_SECONDS = 5;

/** What the reduce step returns to the state machine: small, whatever the range. */
export interface ReduceOutput {
  readonly sweepId: string;
  readonly total: number;
  readonly complete: boolean;
  readonly notAttempted: number;
  readonly failedShards: number;
  readonly resultKey: string;
}

/** The runs function's entry points, one per event family, each with its own types. */
export interface RunsHandlers {
  /** `GET /sweeps/{id}`: follows a run. */
  readonly http: HttpApiHandler;
  /** The state machine's reduce step; a malformed event throws InvalidEventError. */
  readonly reduce: (event: unknown, context: Context) => Promise<ReduceOutput>;
  /** The one export Lambda calls: each event to its entry point, nothing else. */
  readonly dispatch: (
    event: unknown,
    context: Context,
  ) => Promise<APIGatewayProxyStructuredResultV2 | ReduceOutput>;
}

/**
 * The runs function: `GET /sweeps/{id}` follows a distributed sweep; the state machine's reduce
 * step merges the shards, publishes the run's metrics once and keeps the result in S3. Its
 * settings are checked here, at cold start.
 */
export function createRunsHandlers(config: Config, hooks: SweepHooks = {}): RunsHandlers {
  const { stateMachineArn, resultsBucket } = config;
  if (!stateMachineArn || !resultsBucket) {
    throw new ConfigError(
      `invalid configuration: ${describeProblems({
        ...(!stateMachineArn && { STATE_MACHINE_ARN: ['is required by the runs function'] }),
        ...(!resultsBucket && { RESULTS_BUCKET: ['is required by the runs function'] }),
      })}`,
    );
  }
  // Every line written while an entry point handles an invocation carries its request id.
  const log = hooks.log ? withInvocationFields(hooks.log) : writeLog;
  const concluder = createConcluder(config, { ...hooks, log });
  const where = { stateMachineArn, resultsBucket };
  const runs = stepFunctionsRuns(config, stateMachineArn, (sweepId) => describeRun(sweepId, where));
  const api = runsHttp(runs, log);
  const http: HttpApiHandler = (event, context) => inInvocation(context, () => api(event, context));

  const reduce = async (input: unknown, context: Context): Promise<ReduceOutput> =>
    inInvocation(context, () => reduceRun(input, context));
  const reduceRun = async (input: unknown, context: Context): Promise<ReduceOutput> => {
    const event = parseReduceEvent(input);
    const shards = await readShardAggregates(event.results);
    const clock = { startedAt: Date.parse(event.startedAt), endedAt: Date.now() };
    const response = await concluder.concludeRun(event.run, shards, clock, context);
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

  const dispatch: RunsHandlers['dispatch'] = async (event, context) => {
    if (isHttpApiEvent(event)) return http(event, context);
    if (isReduceEvent(event)) return reduce(event, context);
    throw new InvalidEventError('the runs function takes HTTP API events and reduce events');
  };
  return { http, reduce, dispatch };
}

/**
 * `GET /sweeps/{id}`, over any runs: 202 with `Retry-After` and the shards' `progress` while the
 * run goes, 200 with the merged result once it succeeded, 200 with `error` when it failed, 404 for
 * no such sweep. The runs function answers with it, and so does the local API.
 */
export function runsHttp(runs: Runs, log?: LogWriter): HttpApiHandler {
  const status = async (event: APIGatewayProxyEventV2) => {
    const sweepId = event.pathParameters?.id ?? '';
    if (!SWEEP_ID.test(sweepId)) {
      const details = { id: [`must be a UUID, got ${JSON.stringify(sweepId)}`] };
      throw new InvalidRequestError(`invalid request: ${describeProblems(details)}`, details);
    }
    const run = await runs.status(sweepId);
    if (!run) throw new HttpStatusError(404, `no sweep ${sweepId}`);
    if (run.status === 'SUCCEEDED') return jsonResponse(200, run.result);
    if (run.status === 'RUNNING') {
      return jsonResponse(202, run, { 'Retry-After': String(POLL_AFTER_SECONDS) });
    }
    return jsonResponse(200, run);
  };

  return jsonHttp(
    httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
      routes: [{ method: 'GET', path: RUN_PATH, handler: status }],
      notFoundResponse: ({ method, path }) => {
        throw new HttpStatusError(404, `no route for ${method} ${path}`);
      },
    }),
    log,
  );
}
