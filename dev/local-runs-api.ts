import { randomUUID } from 'node:crypto';
import httpRouterHandler from '@middy/http-router';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { SweepResponse } from '../lambda/contract/response.js';
import { RUN_PATH, runPath, SWEEPS_PATH } from '../lambda/contract/routes.js';
import type { RunAccepted } from '../lambda/distributed/messages.js';
import type { RunPlan } from '../lambda/distributed/plan.js';
import type { Config } from '../lambda/ground/config.js';
import { InvalidRequestError } from '../lambda/ground/errors.js';
import { HttpStatusError } from '../lambda/middleware/http-status-error.js';
import { isHttpApiEvent, jsonHttp, jsonResponse } from '../lambda/middleware/json-http.js';
import { requestParser } from '../lambda/request/request.js';
import { rangeSize } from '../lambda/sweep/data.js';
import type { LocalHandler } from './local-api.js';
import { runDistributedLocally } from './local-runs.js';

/** How soon a caller following a running sweep should ask again, as the runs function says. */
const POLL_AFTER_SECONDS = 1;

interface LocalRun {
  readonly accepted: RunAccepted;
  settled: number;
  result?: SweepResponse;
  error?: string;
}

/**
 * `npm run serve` with distributed sweeps, as the deployed API has them: a POST or GET /sweeps
 * above MAX_IDS answers 202 with a `statusUrl`, runs on the local executor in the background, and
 * `GET /sweeps/{id}` answers 202 while it runs and 200 with the merged result when done. Every
 * other event goes to the sweep handler unchanged. Runs live as long as the process.
 */
export function withLocalRuns(handler: LocalHandler, config: Config): LocalHandler {
  const runs = new Map<string, LocalRun>();
  const parser = requestParser(config, { distributed: true });

  const status = jsonHttp(
    httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
      routes: [
        {
          method: 'GET',
          path: RUN_PATH,
          handler: async (event: APIGatewayProxyEventV2) => {
            const run = runs.get(event.pathParameters?.id ?? '');
            if (!run) throw new HttpStatusError(404, `no sweep ${event.pathParameters?.id}`);
            if (run.result) return jsonResponse(200, run.result);
            if (run.error)
              return jsonResponse(200, { ...run.accepted, status: 'FAILED', error: run.error });
            const progress = { ...run.accepted, settled: run.settled };
            return jsonResponse(202, progress, { 'Retry-After': String(POLL_AFTER_SECONDS) });
          },
        },
      ],
      notFoundResponse: ({ method, path }) => {
        throw new HttpStatusError(404, `no route for ${method} ${path}`);
      },
    }),
    () => undefined,
  );

  /** Answers a refusal (a run that cannot finish) in the JSON error body, as the handler would. */
  const refuse = (error: InvalidRequestError) =>
    jsonHttp(async () => {
      throw error;
    });

  /** The run a /sweeps request above MAX_IDS starts; undefined for anything else. */
  const start = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2 | undefined> => {
    const fields = requestFields(event);
    if (fields === undefined) return undefined;
    let request: ReturnType<typeof parser.fromApi>;
    try {
      request = parser.fromApi(fields.input, fields.source);
    } catch (error) {
      if (error instanceof InvalidRequestError) return undefined; // the handler says why
      throw error;
    }
    if (rangeSize(request.range) <= config.maxIds) return undefined;
    const sweepId = randomUUID();
    let plan: RunPlan | undefined;
    let run: LocalRun | undefined;
    const running = runDistributedLocally(request, config, {
      sweepId,
      onPlan: (planned) => {
        plan = planned; // synchronously, before the first shard starts
      },
      onProgress: (settled) => {
        if (run) run.settled = settled;
      },
    });
    if (!plan) {
      // Planning refused the run (it could not finish in time): the same 400 as deployed.
      const error = await running.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error instanceof InvalidRequestError) return refuse(error)(event, context);
      throw error;
    }
    run = {
      accepted: {
        sweepId,
        trigger: request.trigger,
        target: config.targetName,
        range: request.range,
        total: rangeSize(request.range),
        status: 'RUNNING',
        shards: plan.shards,
        shardSize: plan.shardSize,
        statusUrl: runPath(sweepId),
        expectedDurationMs: plan.runMs,
      },
      settled: 0,
    };
    const started = run;
    runs.set(sweepId, started);
    running.then(
      (response) => {
        started.result = response;
      },
      (error: unknown) => {
        started.error = String(error);
      },
    );
    return jsonResponse(202, started.accepted, { Location: started.accepted.statusUrl });
  };

  return async (event, context) => {
    if (!isHttpApiEvent(event)) return handler(event, context);
    const path = event.rawPath.replace(/\/$/, '');
    if (path.startsWith(`${SWEEPS_PATH}/`)) return status(event, context);
    return (await start(event, context)) ?? handler(event, context);
  };
}

/** A /sweeps request's fields: the JSON body of a POST, the query of a GET. */
function requestFields(
  event: APIGatewayProxyEventV2,
): { input: unknown; source: 'body' | 'query' } | undefined {
  if (event.rawPath.replace(/\/$/, '') !== SWEEPS_PATH) return undefined;
  const method = event.requestContext.http.method;
  if (method === 'GET') return { input: event.queryStringParameters, source: 'query' };
  if (method !== 'POST' || event.body === undefined) return undefined;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
    return { input: JSON.parse(text), source: 'body' };
  } catch {
    return undefined; // malformed JSON: the handler answers it
  }
}
