import type { Config } from '../config.js';
import { publishMetrics } from '../metrics/publish.js';
import { type SweepResponse, summaryLogLine, toResponse } from '../response.js';
import type { RunHooks } from '../run.js';
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
  hooks: Pick<RunHooks, 'log' | 'onAggregate'> = {},
): Promise<SweepResponse> {
  const aggregate = reduceShards(run.range, shards, clock);
  hooks.onAggregate?.(aggregate);
  const metrics = await publishMetrics(aggregate, {
    config: context.config,
    deadline: context.metricsDeadline,
  });
  const response = toResponse(
    aggregate,
    { sweepId: run.sweepId, trigger: run.trigger, target: context.config.targetName },
    metrics,
  );
  (hooks.log ?? console.log)(
    summaryLogLine(response, { requestId: context.requestId, schedule: run.schedule }),
  );
  return response;
}
