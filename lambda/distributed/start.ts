import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { runPath } from '../contract/routes.js';
import type { Config } from '../ground/config.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS } from '../ground/defaults.js';
import {
  isTransientAwsError,
  RunInProgressError,
  ServiceUnavailableError,
} from '../ground/errors.js';
import type { SweepRequest } from '../ground/options.js';
import { scheduleWatch } from '../ground/schedule-watch.js';
import { rangeSize } from '../sweep/data.js';
import type { RunAccepted, RunInput } from './messages.js';
import { ASSUMED_LATENCY_MS, planRun, type RunPlan } from './plan.js';

/**
 * How soon a caller refused a run should try again: Step Functions refuses a start over its
 * StartExecution rate (a token bucket refilling every second) or with a million executions open.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const RUN_RETRY_AFTER_SECONDS = 30;

/**
 * The running executions read for the overlap check: runs are one per target at a time, so one
 * page of ListExecutions (its most) holds them all.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
export const RUNNING_LISTED_MAX = 1000;

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
      ...(request.target !== undefined && { target: request.target }),
      ...(request.schedule !== undefined && { schedule: request.schedule }),
      ...(request.compareWith !== undefined && { compareWith: request.compareWith }),
      range,
      shardSize: plan.shardSize,
      ...(request.expect !== undefined && { expect: request.expect }),
      // Judged when the run starts, as a single sweep is when it starts.
      ...scheduleWatch(request, Date.now()),
    },
    range,
    shardSize: plan.shardSize,
    shardOptions: {
      // A deployed target's name: each shard sweeps that target's template, headers and rules.
      ...(request.target !== undefined && { target: request.target }),
      concurrency: request.concurrency,
      timeoutMs: request.timeoutMs,
      retries: request.retries,
      ...(rate !== undefined && { ratePerSecond: rate }),
      ...(request.expect !== undefined && { expect: request.expect }),
      // Each shard confirms its own unexpected ids (confirmMax is per shard).
      ...(request.confirm !== undefined && { confirm: request.confirm }),
      ...(request.confirmMax !== undefined && { confirmMax: request.confirmMax }),
      ...(request.confirmDelayMs !== undefined && { confirmDelayMs: request.confirmDelayMs }),
    },
  };
}

/**
 * One run of a target at a time: a second run of the same target at once would double the rate a
 * caller set (ratePerSecond is the whole run's); runs of other targets go on. Each running
 * execution's input names its target (absent: the first). Two requests in the same instant can
 * both pass this check; a refusal is the rule, not a lock.
 */
async function refuseOverlap(
  sfn: SFNClient,
  stateMachineArn: string,
  target: string,
  first: string,
): Promise<void> {
  let running: { name?: string; startDate?: Date } | undefined;
  try {
    const listed = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn,
        statusFilter: 'RUNNING',
        maxResults: RUNNING_LISTED_MAX,
      }),
    );
    const targets = await Promise.all(
      (listed?.executions ?? []).map(async (execution) => {
        const described = await sfn.send(
          new DescribeExecutionCommand({ executionArn: execution.executionArn }),
        );
        return targetOf(described?.input, first);
      }),
    );
    // An execution whose input cannot be read counts as a run of this target: refuse, not guess.
    running = listed?.executions?.find((_, i) => (targets[i] ?? target) === target);
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    throw new ServiceUnavailableError('Step Functions did not list running sweeps now', {
      cause: error,
      retryAfterSeconds: RUN_RETRY_AFTER_SECONDS,
    });
  }
  if (running?.name === undefined) return;
  throw runInProgress(running.name, running.startDate);
}

/** The target a run's execution input names (`first` when it names none); undefined if unreadable. */
function targetOf(input: string | undefined, first: string): string | undefined {
  if (input === undefined) return undefined;
  try {
    return (JSON.parse(input) as Partial<RunInput>).run?.target ?? first;
  } catch {
    return undefined;
  }
}

/** The refusal of a second run while `sweepId` runs: the same words on AWS and locally. */
export function runInProgress(sweepId: string, startedAt: Date | undefined): RunInProgressError {
  return new RunInProgressError(
    sweepId,
    runPath(sweepId),
    `sweep ${sweepId} of this target is still running (since ${startedAt?.toISOString() ?? 'an unknown time'}); one run at a time keeps the rate the target sees. Follow it at ${runPath(sweepId)}`,
  );
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
    target: request.target ?? config.targetName,
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
  const first = config.targets[0]?.name ?? config.targetName;
  await refuseOverlap(client, stateMachineArn, request.target ?? config.targetName, first);
  try {
    await client.send(
      new StartExecutionCommand({ stateMachineArn, name: sweepId, input: JSON.stringify(input) }),
    );
  } catch (error) {
    const name = (error as { name?: string } | null)?.name ?? 'an error';
    if (name === 'ExecutionLimitExceeded' || isTransientAwsError(error)) {
      throw new ServiceUnavailableError(
        `Step Functions refused to start the run now (${name}); try again in ${RUN_RETRY_AFTER_SECONDS} s`,
        { cause: error, retryAfterSeconds: RUN_RETRY_AFTER_SECONDS },
      );
    }
    throw error;
  }
  return runAccepted(request, input, plan, config);
}
