import { randomUUID } from 'node:crypto';
import type { Pool } from 'undici';
import { type ConcludeHooks, concludeSweep } from './conclude.js';
import type { Config } from './config.js';
import { budgetOf, metricsDeadline, sweepDeadline } from './deadline.js';
import type { RunAccepted } from './distributed/messages.js';
import { startRun } from './distributed/start.js';
import { type SweepRequest, Trigger } from './request.js';
import type { SweepResponse } from './response.js';
import { sweep } from './sweep/sweep.js';

/** What the run needs of the Lambda context. */
export interface Invocation {
  readonly awsRequestId?: string;
  /** Absent outside Lambda: then only timeBudgetMs and the API limit bound the sweep. */
  readonly getRemainingTimeInMillis?: () => number;
}

/** Hooks for the process that hosts the handler; the deployed function uses the defaults. */
export interface RunHooks extends ConcludeHooks {
  /** Progress as ids settle (the local CLI draws a progress line with it). */
  readonly onProgress?: (settled: number, total: number) => void;
  /** A pool of the host's for the sweep (the local executor gives each shard its own). */
  readonly pool?: Pool;
}

/** What a request gets: a finished sweep, or a distributed one started. */
export type RequestOutcome = SweepResponse | RunAccepted;

/** True when the outcome is a distributed sweep that has only started. */
export function isRunAccepted(outcome: RequestOutcome): outcome is RunAccepted {
  return 'statusUrl' in outcome;
}

/**
 * A request sweeps here when its range fits one invocation (MAX_IDS); a larger one starts the
 * state machine, which shards it and merges the shards' results.
 */
export async function runRequest(
  request: SweepRequest,
  invocation: Invocation,
  config: Config,
  hooks: RunHooks = {},
): Promise<RequestOutcome> {
  const size = request.end - request.start + 1;
  if (size <= config.maxIds || config.stateMachineArn === undefined) {
    return runSweep(request, invocation, config, hooks);
  }
  const accepted = await startRun(
    request,
    randomUUID(),
    config,
    config.stateMachineArn,
    invocation.getRemainingTimeInMillis?.(),
  );
  (hooks.log ?? console.log)(
    JSON.stringify({
      level: 'INFO',
      message: 'distributed sweep started',
      requestId: invocation.awsRequestId,
      sweepId: accepted.sweepId,
      trigger: accepted.trigger,
      schedule: request.schedule,
      range: accepted.range,
      shards: accepted.shards,
    }),
  );
  return accepted;
}

/** request → sweep within the deadline → metrics within what is left → response and log line. */
export async function runSweep(
  request: SweepRequest,
  invocation: Invocation,
  config: Config,
  hooks: RunHooks = {},
): Promise<SweepResponse> {
  const budget = budgetOf({
    now: Date.now(),
    remainingMs: invocation.getRemainingTimeInMillis?.(),
    viaApiGateway: request.trigger === Trigger.api,
  });
  const aggregate = await sweep({
    range: { start: request.start, end: request.end },
    urlTemplate: config.targetUrlTemplate,
    concurrency: request.concurrency,
    timeoutMs: request.timeoutMs,
    retries: request.retries,
    ratePerSecond: request.ratePerSecond,
    deadline: sweepDeadline(budget, request.timeBudgetMs, config.responseMarginMs),
    onProgress: hooks.onProgress,
  });
  return concludeSweep(
    aggregate,
    { sweepId: randomUUID(), trigger: request.trigger, schedule: request.schedule },
    {
      config,
      metricsDeadline: metricsDeadline(budget, Date.now()),
      requestId: invocation.awsRequestId,
    },
    hooks,
  );
}
