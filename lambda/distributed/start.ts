import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { runPath } from '../contract/routes.js';
import type { Config } from '../ground/config.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS } from '../ground/defaults.js';
import type { SweepRequest } from '../ground/options.js';
import { rangeSize } from '../sweep/data.js';
import type { RunAccepted, RunInput } from './messages.js';
import { ASSUMED_LATENCY_MS, planRun, type RunPlan } from './plan.js';

/** One client for the life of the process; created on first use, so single sweeps never pay. */
let client: SFNClient | undefined;

/**
 * The shard plan for a request (planRun at the assumed latency). `invocationMs` is how long a
 * shard invocation may run: the shards run on the very function that received the request, so
 * its remaining time on arrival is the function's timeout, near enough (and on the safe side);
 * without a Lambda context, the deployed default timeout.
 */
export function planFor(
  request: SweepRequest,
  config: Config,
  invocationMs: number = DEFAULT_FUNCTION_TIMEOUT_MS,
): RunPlan {
  return planRun({
    range: request.range,
    concurrency: request.concurrency,
    timeoutMs: request.timeoutMs,
    ratePerSecond: request.ratePerSecond,
    latencyMs: ASSUMED_LATENCY_MS,
    invocationMs,
    responseMarginMs: config.responseMarginMs,
    maxShardSize: config.shardSize,
    shardMaxConcurrency: config.shardMaxConcurrency,
  });
}

/** The execution input for a request: the run record, the shard plan and per-shard options. */
export function runInput(request: SweepRequest, sweepId: string, plan: RunPlan): RunInput {
  const { range } = request;
  const rate = plan.shardRatePerSecond;
  return {
    run: {
      sweepId,
      trigger: request.trigger,
      ...(request.schedule !== undefined && { schedule: request.schedule }),
      ...(request.compareWith !== undefined && { compareWith: request.compareWith }),
      range,
      shardSize: plan.shardSize,
      ...(request.expect !== undefined && { expect: request.expect }),
    },
    range,
    shardSize: plan.shardSize,
    shardOptions: {
      concurrency: request.concurrency,
      timeoutMs: request.timeoutMs,
      retries: request.retries,
      ...(rate !== undefined && { ratePerSecond: rate }),
    },
  };
}

/** What a started run answers (202): the same fields whether it runs on AWS or locally. */
export function runAccepted(
  request: SweepRequest,
  input: RunInput,
  plan: RunPlan,
  config: Config,
): RunAccepted {
  const { sweepId } = input.run;
  return {
    sweepId,
    trigger: request.trigger,
    target: config.targetName,
    range: input.range,
    total: rangeSize(input.range),
    status: 'RUNNING',
    shards: plan.shards,
    shardSize: plan.shardSize,
    expectedDurationMs: Math.round(plan.runMs),
    statusUrl: runPath(sweepId),
  };
}

/** Starts the state machine for a range larger than one invocation sweeps (execution name = sweep id). */
export async function startRun(
  request: SweepRequest,
  sweepId: string,
  config: Config,
  stateMachineArn: string,
  invocationMs?: number,
): Promise<RunAccepted> {
  const plan = planFor(request, config, invocationMs);
  const input = runInput(request, sweepId, plan);
  client ??= new SFNClient({});
  await client.send(
    new StartExecutionCommand({ stateMachineArn, name: sweepId, input: JSON.stringify(input) }),
  );
  return runAccepted(request, input, plan, config);
}
