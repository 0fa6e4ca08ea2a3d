/**
 * The local executor for distributed sweeps: the same shard plan, the same shard events through
 * the same handler, and the same exact merge as the state machine in AWS, in one process.
 */
import { randomUUID } from 'node:crypto';
import { createConcluder } from '../lambda/conclude/conclude.js';
import type { SweepHooks } from '../lambda/conclude/hooks.js';
import type { SweepResponse } from '../lambda/contract/response.js';
import { SHARD_KIND, type ShardEvent } from '../lambda/distributed/messages.js';
import type { RunPlan } from '../lambda/distributed/plan.js';
import { planShards } from '../lambda/distributed/shards.js';
import { planFor, runInput } from '../lambda/distributed/start.js';
import { createHandlers } from '../lambda/entry/handler.js';
import type { Config } from '../lambda/ground/config.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS } from '../lambda/ground/defaults.js';
import type { LogWriter } from '../lambda/ground/log.js';
import type { SweepRequest } from '../lambda/ground/options.js';
import type { SweepAggregate } from '../lambda/sweep/data.js';
import { rangeSize, urlTemplateParts } from '../lambda/sweep/data.js';
import { newPool } from '../lambda/sweep/index.js';
import { lambdaContext } from './lambda-context.js';

export interface LocalRunHooks
  extends Pick<SweepHooks, 'onAggregate' | 'onProgress' | 'onSettle' | 'signal'> {
  /** The run's id (a local API answers 202 with it before the run ends). @default - a new UUID */
  readonly sweepId?: string;
  /** Told the plan before the first shard starts. */
  readonly onPlan?: (plan: RunPlan) => void;
  /** Where log lines go (shard lines included); dropped by default. */
  readonly log?: LogWriter;
}

/**
 * Sweeps a range larger than MAX_IDS as the state machine would: the same plan (for a 120 s
 * invocation), at most SHARD_MAX_CONCURRENCY shards at once, each a shard event through the sweep
 * handler with a connection pool of its own sized to its concurrency, as a separate invocation
 * would have; a shard that throws is left out, and its ids are reported as not attempted and
 * named in `failedShards`, like a failed map item.
 */
export async function runDistributedLocally(
  request: SweepRequest,
  config: Config,
  hooks: LocalRunHooks = {},
): Promise<SweepResponse> {
  const log = hooks.log ?? (() => undefined);
  const plan = planFor(request, config, DEFAULT_FUNCTION_TIMEOUT_MS);
  const input = runInput(request, hooks.sweepId ?? randomUUID(), plan);
  const starts = planShards(input.range, input.shardSize).map((shard) => shard.start);
  hooks.onPlan?.(plan);
  const { origin } = urlTemplateParts(config.targetUrlTemplate);

  const total = rangeSize(input.range);
  const settledByShard = new Map<number, number>();
  let settled = 0;
  const startedAt = Date.now();
  const results: SweepAggregate[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < starts.length; i = next++) {
      const shardStart = starts[i] as number;
      const pool = newPool(origin, input.shardOptions.concurrency);
      const { shard } = createHandlers(config, {
        log,
        pool,
        onSettle: hooks.onSettle,
        signal: hooks.signal,
        onProgress: (shardSettled) => {
          settled += shardSettled - (settledByShard.get(shardStart) ?? 0);
          settledByShard.set(shardStart, shardSettled);
          hooks.onProgress?.(settled, total);
        },
      });
      const event: ShardEvent = {
        kind: SHARD_KIND,
        sweepId: input.run.sweepId,
        shardStart,
        shardSize: input.shardSize,
        rangeEnd: input.range.end,
        options: input.shardOptions,
      };
      try {
        results.push(await shard(event, lambdaContext()));
      } catch (error) {
        log({ level: 'ERROR', message: 'shard failed', shardStart, error: String(error) });
      } finally {
        await pool.close();
      }
    }
  };
  await Promise.all(Array.from({ length: plan.atOnce }, worker));

  // No Lambda context: the metrics publish gets the local budget, as the reduce step would get
  // what is left of its invocation.
  return createConcluder(config, { log, onAggregate: hooks.onAggregate }).concludeRun(
    input.run,
    results,
    { startedAt, endedAt: Date.now() },
    {},
  );
}
