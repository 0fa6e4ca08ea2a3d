/**
 * The local executor for distributed sweeps: the same shard plan, the same shard events through
 * the same handler, and the same exact merge as the state machine in AWS, in one process.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../lambda/config.js';
import { budgetOf, metricsDeadline } from '../lambda/deadline.js';
import { finishRun } from '../lambda/distributed/finish.js';
import { SHARD_KIND, type ShardEvent } from '../lambda/distributed/messages.js';
import { planShards } from '../lambda/distributed/shards.js';
import { runInput } from '../lambda/distributed/start.js';
import { createHandler } from '../lambda/handler.js';
import type { SweepRequest } from '../lambda/request.js';
import type { SweepResponse } from '../lambda/response.js';
import type { RunHooks } from '../lambda/run.js';
import type { SweepAggregate } from '../lambda/sweep/aggregate.js';
import { rangeSize } from '../lambda/sweep/range.js';
import { localContext } from './local-context.js';

export interface LocalRunHooks extends Pick<RunHooks, 'onAggregate' | 'onProgress'> {
  /** Told the plan before the first shard starts. */
  readonly onPlan?: (plan: {
    readonly shards: number;
    readonly shardSize: number;
    readonly atOnce: number;
  }) => void;
  /** Where log lines go (shard lines included); dropped by default. */
  readonly log?: (line: string) => void;
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
      const handler = createHandler(config, {
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
        results.push((await handler(event, localContext())) as SweepAggregate);
      } catch (error) {
        log(
          JSON.stringify({
            level: 'ERROR',
            message: 'shard failed',
            shardStart,
            error: String(error),
          }),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: atOnce }, worker));

  const now = Date.now();
  return finishRun(
    input.run,
    results,
    { startedAt, endedAt: now },
    { config, metricsDeadline: metricsDeadline(budgetOf({ now, viaApiGateway: false }), now) },
    { log, onAggregate: hooks.onAggregate },
  );
}
