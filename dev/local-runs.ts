/**
 * The local executor for distributed sweeps: the same shard plan, the same shard events through
 * the same handler, and the same exact merge as the state machine in AWS, in one process.
 */
import { randomUUID } from 'node:crypto';
import { createConcluder } from '../lambda/conclude.js';
import type { Config } from '../lambda/config.js';
import { SHARD_KIND, type ShardEvent } from '../lambda/distributed/messages.js';
import { planShards } from '../lambda/distributed/shards.js';
import { runInput } from '../lambda/distributed/start.js';
import { createHandlers } from '../lambda/handler.js';
import type { SweepHooks } from '../lambda/hooks.js';
import type { LogWriter } from '../lambda/log.js';
import type { SweepRequest } from '../lambda/options.js';
import type { SweepResponse } from '../lambda/response.js';
import type { SweepAggregate } from '../lambda/sweep/aggregate.js';
import { rangeSize } from '../lambda/sweep/range.js';
import { lambdaContext } from './lambda-context.js';

export interface LocalRunHooks extends Pick<SweepHooks, 'onAggregate' | 'onProgress'> {
  /** Told the plan before the first shard starts. */
  readonly onPlan?: (plan: {
    readonly shards: number;
    readonly shardSize: number;
    readonly atOnce: number;
  }) => void;
  /** Where log lines go (shard lines included); dropped by default. */
  readonly log?: LogWriter;
}

/**
 * Sweeps a range larger than MAX_IDS as the state machine would: shards of SHARD_SIZE ids, at most
 * SHARD_MAX_CONCURRENCY at once, each a shard event through the sweep handler; a shard that
 * throws is left out, and its ids are reported as not attempted, like a failed map item.
 */
export async function runDistributedLocally(
  request: SweepRequest,
  config: Config,
  hooks: LocalRunHooks = {},
): Promise<SweepResponse> {
  const log = hooks.log ?? (() => undefined);
  const input = runInput(request, randomUUID(), config);
  const starts = planShards(input.range, input.shardSize).map((shard) => shard.start);
  const atOnce = Math.min(config.shardMaxConcurrency, starts.length);
  hooks.onPlan?.({ shards: starts.length, shardSize: input.shardSize, atOnce });

  const total = rangeSize(input.range);
  const settledByShard = new Map<number, number>();
  let settled = 0;
  const startedAt = Date.now();
  const results: SweepAggregate[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < starts.length; i = next++) {
      const shardStart = starts[i] as number;
      const { shard } = createHandlers(config, {
        log,
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
      }
    }
  };
  await Promise.all(Array.from({ length: atOnce }, worker));

  // No Lambda context: the metrics publish gets the local budget, as the reduce step would get
  // what is left of its invocation.
  return createConcluder(config, { log, onAggregate: hooks.onAggregate }).concludeRun(
    input.run,
    results,
    { startedAt, endedAt: Date.now() },
    {},
  );
}
