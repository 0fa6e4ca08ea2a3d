/**
 * The local runs: the Runs port of lambda/distributed/ in one process, standing in for the state
 * machine. The same plan, the same shard events through the sweep handler (built once, each shard
 * with a connection pool of its own, as separate invocations would have), the same exact merge,
 * the same tolerated-failure rule as the Distributed Map, the same retries of a crashed shard or
 * reduce (SHARD_RETRY, REDUCE_RETRY_POLICY), and one run at a time, as the runs function refuses
 * a second.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { concludersByTarget } from '../lambda/conclude/by-target.js';
import type { SweepHooks } from '../lambda/conclude/hooks.js';
import { oneLine } from '../lambda/distributed/failure.js';
import { SHARD_KIND, type ShardEvent } from '../lambda/distributed/messages.js';
import type { RunPlan } from '../lambda/distributed/plan.js';
import {
  REDUCE_RETRY_POLICY,
  type RetryPolicy,
  SHARD_RETRY,
} from '../lambda/distributed/retries.js';
import type { Runs } from '../lambda/distributed/runs-port.js';
import { planShards } from '../lambda/distributed/shards.js';
import { planFor, runAccepted, runInProgress, runInput } from '../lambda/distributed/start.js';
import type { RunStatus, ShardProgress } from '../lambda/distributed/status.js';
import {
  exceedsTolerance,
  TOLERANCE_EXCEEDED_ERROR,
  TOLERATED_FAILURE_PERCENTAGE,
} from '../lambda/distributed/tolerance.js';
import { createHandlers } from '../lambda/entry/handler.js';
import type { Config } from '../lambda/ground/config.js';
import { errorFields } from '../lambda/ground/error-line.js';
import { rangeSize, type SweepAggregate } from '../lambda/sweep/data.js';
import { lambdaContext } from './lambda-context.js';
import { retried } from './local-retries.js';

export interface LocalRunHooks
  extends Pick<
    SweepHooks,
    'log' | 'onAggregate' | 'onProgress' | 'onSettle' | 'signal' | 'baselines' | 'targetHeaders'
  > {
  /** Told the plan before the first shard starts. */
  readonly onPlan?: (plan: RunPlan) => void;
  /**
   * What each shard invokes, as the Map's items invoke the sweep function (a test wraps it to
   * fail a shard). @default - the sweep handler's shard entry point, built once
   */
  readonly invokeShard?: (event: ShardEvent, context: Context) => Promise<SweepAggregate>;
  /** The first wait before a retry, doubling after. @default - the state machine's (2 s) */
  readonly retryIntervalMs?: number;
}

/** The local runs, and the end of one (the CLI waits for it). */
export interface LocalRuns extends Runs {
  /** Run `sweepId`'s status once it has ended; undefined when there is no such run. */
  ended(sweepId: string): Promise<RunStatus | undefined>;
}

interface LocalRun {
  /** The target it sweeps: one run per target at a time. */
  readonly target: string;
  readonly startedAt: string;
  readonly total: number;
  settledIds: number;
  readonly progress: { -readonly [K in keyof ShardProgress]: ShardProgress[K] };
  ended?: RunStatus;
  readonly end: Promise<RunStatus>;
}

/** Runs in this process; they live as long as it does. */
export function localRuns(config: Config, hooks: LocalRunHooks = {}): LocalRuns {
  const log = hooks.log ?? (() => undefined);
  const runs = new Map<string, LocalRun>();
  // Which run a settling id belongs to: the shard handler is shared by every run.
  const current = new AsyncLocalStorage<LocalRun>();
  const shard =
    hooks.invokeShard ??
    createHandlers(config, {
      log,
      signal: hooks.signal,
      targetHeaders: hooks.targetHeaders,
      poolPerSweep: true,
      onSettle: (settled) => {
        hooks.onSettle?.(settled);
        const run = current.getStore();
        if (run) hooks.onProgress?.(++run.settledIds, run.total);
      },
    }).shard;
  const concluderOf = concludersByTarget(config, {
    log,
    onAggregate: hooks.onAggregate,
    baselines: hooks.baselines,
  });
  const retrying = <T>(
    policy: RetryPolicy,
    attempt: () => Promise<T>,
    onRetry: (error: unknown) => void,
  ): Promise<T> =>
    retried(policy, attempt, {
      onRetry,
      signal: hooks.signal,
      intervalMs: hooks.retryIntervalMs,
    });

  const execute = async (
    input: ReturnType<typeof runInput>,
    run: LocalRun,
    atOnce: number,
  ): Promise<RunStatus> => {
    const { sweepId } = input.run;
    const starts = planShards(input.range, input.shardSize).map((s) => s.start);
    const started = Date.parse(run.startedAt);
    const results: SweepAggregate[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < starts.length; i = next++) {
        const event: ShardEvent = {
          kind: SHARD_KIND,
          sweepId,
          shardStart: starts[i] as number,
          shardSize: input.shardSize,
          rangeEnd: input.range.end,
          options: input.shardOptions,
        };
        run.progress.pending--;
        run.progress.running++;
        try {
          const swept = await retrying(
            SHARD_RETRY,
            () => current.run(run, () => shard(event, lambdaContext())),
            (error) =>
              log({
                level: 'WARN',
                message: 'shard failed; sweeping it again',
                sweepId,
                shardStart: event.shardStart,
                error: errorFields(error),
              }),
          );
          results.push(swept);
          run.progress.succeeded++;
        } catch (error) {
          run.progress.failed++;
          log({
            level: 'ERROR',
            message: 'shard failed',
            sweepId,
            shardStart: event.shardStart,
            error: errorFields(error),
          });
        } finally {
          run.progress.running--;
        }
      }
    };
    await Promise.all(Array.from({ length: atOnce }, worker));
    const { failed, total } = run.progress;
    if (exceedsTolerance(failed, total)) {
      return {
        sweepId,
        status: 'FAILED',
        startedAt: run.startedAt,
        error: TOLERANCE_EXCEEDED_ERROR,
        message: `${failed} of ${total} shards failed, more than the ${TOLERATED_FAILURE_PERCENTAGE} % tolerated`,
      };
    }
    // No Lambda context: the metrics publish gets the local budget, as the reduce step would get
    // what is left of its invocation.
    const endedAt = Date.now();
    const result = await retrying(
      REDUCE_RETRY_POLICY,
      () =>
        concluderOf(input.run.target).concludeRun(
          input.run,
          results,
          { startedAt: started, endedAt },
          {},
        ),
      (error) =>
        log({
          level: 'WARN',
          message: 'reduce failed; merging again',
          sweepId,
          error: errorFields(error),
        }),
    );
    return { sweepId, status: 'SUCCEEDED', result };
  };

  return {
    start: async (request, sweepId, invocationMs) => {
      const target = request.target ?? config.targetName;
      for (const [id, other] of runs) {
        if (!other.ended && other.target === target) {
          throw runInProgress(id, new Date(other.startedAt));
        }
      }
      const plan = planFor(request, config, invocationMs);
      const input = runInput(request, sweepId, plan);
      hooks.onPlan?.(plan);
      let settle: (status: RunStatus) => void = () => undefined;
      const run: LocalRun = {
        target,
        startedAt: new Date().toISOString(),
        total: rangeSize(input.range),
        settledIds: 0,
        progress: { total: plan.shards, succeeded: 0, failed: 0, running: 0, pending: plan.shards },
        end: new Promise((resolve) => {
          settle = resolve;
        }),
      };
      runs.set(sweepId, run);
      execute(input, run, plan.atOnce).then(
        (status) => {
          run.ended = status;
          settle(status);
        },
        (error: unknown) => {
          const failed: RunStatus = {
            sweepId,
            status: 'FAILED',
            startedAt: run.startedAt,
            error: error instanceof Error ? error.name : 'Error',
            message: oneLine(error instanceof Error ? error.message : String(error)),
          };
          run.ended = failed;
          settle(failed);
        },
      );
      return runAccepted(request, input, plan, config);
    },
    status: async (sweepId) => {
      const run = runs.get(sweepId);
      if (!run) return undefined;
      return (
        run.ended ?? {
          sweepId,
          status: 'RUNNING',
          startedAt: run.startedAt,
          progress: { ...run.progress },
        }
      );
    },
    ended: async (sweepId) => runs.get(sweepId)?.end,
  };
}
