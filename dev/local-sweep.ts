import type { SweepHooks } from '../lambda/conclude/hooks.js';
import type { SweepResponse } from '../lambda/contract/response.js';
import { SWEEPS_PATH } from '../lambda/contract/routes.js';
import { isRunSized } from '../lambda/distributed/runs-port.js';
import { createHandlers } from '../lambda/entry/handler.js';
import { isRunAccepted } from '../lambda/entry/sweeper.js';
import type { Config } from '../lambda/ground/config.js';
import { InvalidRequestError } from '../lambda/ground/errors.js';
import { toHttpApiEvent } from './http-api-event.js';
import { lambdaContext } from './lambda-context.js';
import { type LocalRunHooks, localRuns } from './local-runs.js';

/** How the CLI reaches the handler: as `aws lambda invoke` would, or as API Gateway would. */
export const Via = { invoke: 'invoke', api: 'api', distributed: 'distributed' } as const;
export type Via = (typeof Via)[keyof typeof Via];

/** A sweep's end as the CLI sees it: a response, or the handler's refusal in its own words. */
export type LocalSweepResult =
  | { readonly kind: 'response'; readonly response: SweepResponse }
  | {
      readonly kind: 'invalid';
      readonly message: string;
      readonly details?: Readonly<Record<string, readonly string[]>>;
    }
  | { readonly kind: 'failed'; readonly message: string };

/** The handler's hooks, and the shard plan of a distributed run. */
export type LocalSweepHooks = SweepHooks & Pick<LocalRunHooks, 'onPlan'>;

/** Which way `fields` will go: where the sweeper would start a run, the local runs. */
export function viaFor(
  fields: Readonly<Record<string, unknown>>,
  config: Config,
  api: boolean,
): Via {
  const { start, end } = fields;
  const sized = typeof start === 'number' && typeof end === 'number';
  if (sized && isRunSized({ start, end }, config.maxIds)) return Via.distributed;
  return api ? Via.api : Via.invoke;
}

/**
 * One sweep through the deployed handler, in this process: a direct invoke (bounded by the
 * function's timeout, like `aws lambda invoke`), an HTTP API event (`--api`: API Gateway's 28 s
 * limit applies), or a local distributed run for ranges above MAX_IDS.
 */
export async function sweepLocally(
  fields: Readonly<Record<string, unknown>>,
  config: Config,
  via: Via,
  hooks: LocalSweepHooks,
): Promise<LocalSweepResult> {
  try {
    if (via === Via.distributed) return await runLocally(fields, config, hooks);
    const handlers = createHandlers(config, hooks);
    if (via === Via.invoke) {
      const outcome = await handlers.invoke(fields, lambdaContext());
      return { kind: 'response', response: outcome as SweepResponse };
    }
    const result = await handlers.http(
      toHttpApiEvent({
        method: 'POST',
        url: SWEEPS_PATH,
        headers: { 'content-type': 'application/json', 'user-agent': 'status-sweep-cli' },
        body: Buffer.from(JSON.stringify(fields)),
      }),
      lambdaContext(),
    );
    const body = JSON.parse(String(result.body)) as SweepResponse & {
      error?: { message: string; details?: Record<string, readonly string[]> };
    };
    if (result.statusCode === 200) return { kind: 'response', response: body };
    const message = body.error?.message ?? `HTTP ${result.statusCode}`;
    return (result.statusCode ?? 500) < 500
      ? { kind: 'invalid', message, details: body.error?.details }
      : { kind: 'failed', message };
  } catch (error) {
    if (error instanceof InvalidRequestError) {
      return { kind: 'invalid', message: error.message, details: error.details };
    }
    throw error;
  }
}

/**
 * A run on the local runs, started by the sweep handler as a deployed invoke starts one on the
 * state machine, and waited for: its result, or why it failed (as `GET /sweeps/{id}` says).
 */
async function runLocally(
  fields: Readonly<Record<string, unknown>>,
  config: Config,
  hooks: LocalSweepHooks,
): Promise<LocalSweepResult> {
  const runs = localRuns(config, hooks);
  const outcome = await createHandlers(config, { ...hooks, runs }).invoke(fields, lambdaContext());
  if (!isRunAccepted(outcome)) return { kind: 'response', response: outcome };
  const status = await runs.ended(outcome.sweepId);
  if (status?.status === 'SUCCEEDED' && !('resultUrl' in status.result)) {
    return { kind: 'response', response: status.result };
  }
  const why = status && 'error' in status ? `${status.error}: ${status.cause ?? ''}` : 'no result';
  return { kind: 'failed', message: `the run ${outcome.sweepId} failed (${why})` };
}
