import httpRouterHandler from '@middy/http-router';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { concludersByTarget } from '../conclude/by-target.js';
import type { SweepHooks } from '../conclude/hooks.js';
import { RUN_PATH, SWEEP_ID } from '../contract/routes.js';
import { isReduceEvent, parseReduceEvent } from '../distributed/messages.js';
import { readShardAggregates, writeResult } from '../distributed/results.js';
import type { Runs } from '../distributed/runs-port.js';
import { describeRun } from '../distributed/status.js';
import { stepFunctionsRuns } from '../distributed/step-functions-runs.js';
import type { Config } from '../ground/config.js';
import { endTimesFor, type Invocation, sweepDeadline } from '../ground/deadline.js';
import {
  ConfigError,
  InvalidEventError,
  InvalidRequestError,
  ServiceUnavailableError,
} from '../ground/errors.js';
import { inInvocation, type LogWriter, withInvocationFields, writeLog } from '../ground/log.js';
import { Trigger } from '../ground/options.js';
import { describeProblems } from '../ground/validation.js';
import { HttpStatusError } from '../middleware/http-status-error.js';
import {
  type HttpApiHandler,
  isHttpApiEvent,
  jsonHttp,
  jsonResponse,
} from '../middleware/json-http.js';

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
  // The reduce step concludes a run under its target (its rules, thresholds and dimension).
  const concluderOf = concludersByTarget(config, { ...hooks, log });
  const targets = config.targets.map((target) => target.name);
  const where = { stateMachineArn, resultsBucket };
  const runs = stepFunctionsRuns(config, stateMachineArn, (sweepId, signal) =>
    describeRun(sweepId, where, signal),
  );
  const api = runsHttp(runs, log, config.responseMarginMs);
  const http: HttpApiHandler = (event, context) => inInvocation(context, () => api(event, context));

  const reduce = async (input: unknown, context: Context): Promise<ReduceOutput> =>
    inInvocation(context, () => reduceRun(input, context));
  const reduceRun = async (input: unknown, context: Context): Promise<ReduceOutput> => {
    const event = parseReduceEvent(input, targets);
    // Reads and writes end before the invocation does: a retry of the reduce then starts clean.
    const signal = readsUntilDeadline(context, Trigger.invoke, config.responseMarginMs);
    const shards = await readShardAggregates(event.results, signal);
    const clock = { startedAt: Date.parse(event.startedAt), endedAt: Date.now() };
    const concluder = concluderOf(event.run.target);
    const response = await concluder.concludeRun(event.run, shards, clock, context);
    const resultKey = await writeResult(resultsBucket, response, signal);
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

/** Aborts at the invocation's deadline (the API's 28 s, or Lambda's timeout), less `marginMs`. */
function readsUntilDeadline(invocation: Invocation, trigger: Trigger, marginMs: number) {
  const deadline = sweepDeadline(endTimesFor(invocation, trigger), undefined, marginMs);
  return AbortSignal.timeout(Math.max(0, (deadline ?? Date.now()) - Date.now()));
}

/**
 * `GET /sweeps/{id}`, over any runs: 202 with `Retry-After` and the shards' `progress` while the
 * run goes, 200 with the merged result once it succeeded, 200 with `error` when it failed, 404 for
 * no such sweep. The runs function answers with it, and so does the local API.
 */
export function runsHttp(runs: Runs, log?: LogWriter, responseMarginMs = 0): HttpApiHandler {
  const status = async (event: APIGatewayProxyEventV2, context: Context) => {
    const sweepId = event.pathParameters?.id ?? '';
    if (!SWEEP_ID.test(sweepId)) {
      const details = { id: [`must be a UUID, got ${JSON.stringify(sweepId)}`] };
      throw new InvalidRequestError(`invalid request: ${describeProblems(details)}`, details);
    }
    const invocation = {
      awsRequestId: context.awsRequestId,
      getRemainingTimeInMillis: () => context.getRemainingTimeInMillis(),
      requestedAt: event.requestContext?.timeEpoch,
    };
    const signal = readsUntilDeadline(invocation, Trigger.api, responseMarginMs);
    const run = await runs.status(sweepId, signal).catch((error: unknown) => {
      if (!signal.aborted) throw error;
      throw new ServiceUnavailableError(
        `the state of sweep ${sweepId} could not be read in time; ask again`,
        { cause: error },
      );
    });
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
