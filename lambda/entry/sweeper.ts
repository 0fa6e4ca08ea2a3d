import { randomUUID } from 'node:crypto';
import { createConcluder } from '../conclude/conclude.js';
import type { SweepHooks } from '../conclude/hooks.js';
import type { SweepResponse } from '../contract/response.js';
import type { RunAccepted, ShardEvent } from '../distributed/messages.js';
import { isRunSized, type Runs } from '../distributed/runs-port.js';
import { shardAt } from '../distributed/shards.js';
import { stepFunctionsRuns } from '../distributed/step-functions-runs.js';
import type { Config } from '../ground/config.js';
import { endTimesFor, type Invocation, sweepDeadline } from '../ground/deadline.js';
import { writeLog } from '../ground/log.js';
import { type SweepRequest, type SweepRequestOptions, Trigger } from '../ground/options.js';
import { scheduleWatch } from '../ground/schedule-watch.js';
import {
  type CheckFor,
  type IdRange,
  type SweepAggregate,
  urlTemplateParts,
} from '../sweep/data.js';
import {
  type EnginePool,
  newPool,
  newThrottle,
  type SettledId,
  sweep,
  type Throttle,
} from '../sweep/index.js';
import { checksFor } from '../verdict/checks.js';
import { compileExpectations } from '../verdict/expectations.js';
import { confirmPass } from './confirm.js';
import { targetHeadersFrom } from './target-headers.js';

/** What a request gets: a finished sweep, or a distributed sweep (a run) started. */
export type SweepOutcome = SweepResponse | RunAccepted;

/** True when the outcome is a run that has only started. */
export function isRunAccepted(outcome: SweepOutcome): outcome is RunAccepted {
  return 'statusUrl' in outcome;
}

/** The sweep function's work, with the config and hooks captured once at cold start. */
export interface Sweeper {
  /**
   * A request sweeps here when its range fits one invocation (MAX_IDS); a larger one starts a
   * run on the state machine, which shards it and merges the shards' results.
   */
  answer(request: SweepRequest, invocation: Invocation): Promise<SweepOutcome>;
  /** One shard of a run: its raw aggregate for the reduce step; no metrics (the run publishes). */
  sweepShard(event: ShardEvent, invocation: Invocation): Promise<SweepAggregate>;
}

/** Aborts at the deadline (or with the caller's signal): what bounds a read the sweep waits for. */
function readSignal(deadline: number | undefined, signal?: AbortSignal): AbortSignal | undefined {
  const signals = [
    ...(deadline === undefined ? [] : [AbortSignal.timeout(Math.max(0, deadline - Date.now()))]),
    ...(signal ? [signal] : []),
  ];
  return signals.length === 0 ? undefined : AbortSignal.any(signals);
}

/** Where this function starts runs: the host's, else the state machine if it has one. */
export function runsFor(config: Config, hooks: SweepHooks): Runs | undefined {
  if (hooks.runs) return hooks.runs;
  const arn = config.stateMachineArn;
  return arn === undefined ? undefined : stepFunctionsRuns(config, arn);
}

/** Built once at cold start, like middy's middleware factories that close over their options. */
export function createSweeper(config: Config, hooks: SweepHooks = {}): Sweeper {
  const log = hooks.log ?? writeLog;
  const concluder = createConcluder(config, hooks);
  const targetHeaders = hooks.targetHeaders ?? targetHeadersFrom(config);
  const deployed = compileExpectations(config.expect);
  const deployedChecks = checksFor(deployed);
  const runs = runsFor(config, hooks);
  const { origin } = urlTemplateParts(config.targetUrlTemplate);

  /**
   * The engine on `range` with `options`, within the deadline, shaped as deployed, then its
   * unexpected ids once more (confirm.ts) on the same pool.
   */
  const sweepRange = async (range: IdRange, options: SweepRequestOptions, deadline?: number) => {
    const pool = hooks.poolPerSweep ? newPool(origin, options.concurrency) : undefined;
    // One slow-down for both passes: a pause the origin asked for still holds when confirming.
    const throttle = newThrottle(options.concurrency);
    const checked = new Map<number, number>();
    // A request's own rules, compiled once for both passes and the confirmation's matcher.
    const expectations =
      options.expect === undefined ? deployed : compileExpectations(options.expect);
    const checkFor = options.expect === undefined ? deployedChecks : checksFor(expectations);
    const onSettle = (settled: SettledId) => {
      if (settled.outcome.kind === 'check') checked.set(settled.id, settled.outcome.status);
      hooks.onSettle?.(settled);
    };
    // What both passes share: the range, the rules, the deadline, the pool and the throttle.
    const pass = { range, options, checkFor, deadline, pool, throttle };
    try {
      const main = await sweepWith({ ...pass, onSettle });
      return await confirmPass(main, {
        options,
        expectations,
        deadline,
        signal: hooks.signal,
        sweepIds: (ids) => sweepWith({ ...pass, ids }),
        checkedStatus: (id) => checked.get(id),
      });
    } finally {
      await pool?.close();
    }
  };
  const sweepWith = async ({
    range,
    options,
    checkFor,
    deadline,
    pool,
    throttle,
    ids,
    onSettle,
  }: {
    range: IdRange;
    options: SweepRequestOptions;
    checkFor: CheckFor | undefined;
    deadline: number | undefined;
    pool: EnginePool | undefined;
    throttle: Throttle;
    ids?: readonly number[];
    onSettle?: (settled: SettledId) => void;
  }) =>
    sweep({
      range,
      ...(ids && { ids }),
      urlTemplate: config.targetUrlTemplate,
      method: config.targetMethod,
      headers: await targetHeaders(readSignal(deadline, hooks.signal)),
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      ratePerSecond: options.ratePerSecond,
      // The rules' body and latency checks, applied as answers arrive (the verdict counts them).
      checkFor,
      deadline,
      // The confirmation pass reports no progress: the ids it requests have settled once.
      onProgress: ids ? undefined : hooks.onProgress,
      onSettle,
      signal: hooks.signal,
      pool,
      throttle,
    });

  const sweepHere = async (request: SweepRequest, invocation: Invocation) => {
    const startedAt = Date.now();
    const times = endTimesFor(invocation, request.trigger);
    const deadline = sweepDeadline(times, request.timeBudgetMs, config.responseMarginMs);
    const aggregate = await sweepRange(request.range, request, deadline);
    const who = {
      sweepId: randomUUID(),
      trigger: request.trigger,
      schedule: request.schedule,
      compareWith: request.compareWith,
      expect: request.expect,
      ...scheduleWatch(request, startedAt),
    };
    return concluder.conclude(aggregate, who, times, invocation.awsRequestId);
  };

  const startHere = async (request: SweepRequest, invocation: Invocation, on: Runs) => {
    // The shards run on this very function: its remaining time is their timeout, near enough.
    const accepted = await on.start(request, randomUUID(), invocation.getRemainingTimeInMillis?.());
    log({
      level: 'INFO',
      message: 'distributed sweep started',
      sweepId: accepted.sweepId,
      trigger: accepted.trigger,
      schedule: request.schedule,
      range: accepted.range,
      shards: accepted.shards,
    });
    return accepted;
  };

  return {
    answer: (request, invocation) =>
      runs !== undefined && isRunSized(request.range, config.maxIds)
        ? startHere(request, invocation, runs)
        : sweepHere(request, invocation),
    sweepShard: async (event, invocation) => {
      const range = shardAt(event.shardStart, event.shardSize, event.rangeEnd);
      // The state machine invokes shards: the function's timeout bounds them, no API Gateway.
      const times = endTimesFor(invocation, Trigger.invoke);
      const aggregate = await sweepRange(
        range,
        event.options,
        sweepDeadline(times, undefined, config.responseMarginMs),
      );
      log({
        level: 'INFO',
        message: 'shard finished',
        sweepId: event.sweepId,
        range,
        complete: aggregate.complete,
        statuses: aggregate.statuses,
        notAttempted: aggregate.notAttempted,
        durationMs: aggregate.endedAt - aggregate.startedAt,
      });
      return aggregate;
    },
  };
}
