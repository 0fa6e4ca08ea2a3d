import { type ConcludeHooks, concludeSweep } from '../conclude.js';
import type { Config } from '../config.js';
import type { SweepResponse } from '../response.js';
import type { SweepAggregate } from '../sweep/aggregate.js';
import type { RunRecord } from './messages.js';
import { reduceShards } from './reduce.js';

/**
 * The end of a distributed sweep, in AWS (the reduce task) and locally alike: merge the shards
 * exactly, publish the run's metrics once, and answer in the single-sweep contract.
 */
export async function finishRun(
  run: RunRecord,
  shards: readonly SweepAggregate[],
  clock: { readonly startedAt: number; readonly endedAt: number },
  context: {
    readonly config: Config;
    readonly metricsDeadline: number;
    readonly requestId?: string;
  },
  hooks: ConcludeHooks = {},
): Promise<SweepResponse> {
  return concludeSweep(reduceShards(run.range, shards, clock, run.shardSize), run, context, hooks);
}
