import type { Config } from '../config.js';
import { budgetOf, sweepDeadline } from '../deadline.js';
import type { Invocation, RunHooks } from '../run.js';
import type { SweepAggregate } from '../sweep/aggregate.js';
import { sweep } from '../sweep/sweep.js';
import type { ShardEvent } from './messages.js';
import { shardAt } from './shards.js';

/**
 * One shard of a distributed sweep: sweeps its ids within the invocation and returns the raw
 * aggregate for the reduce step. No metrics here: the run publishes once, from the merged result.
 */
export async function runShard(
  event: ShardEvent,
  invocation: Invocation,
  config: Config,
  hooks: Pick<RunHooks, 'log' | 'onProgress' | 'pool'> = {},
): Promise<SweepAggregate> {
  const range = shardAt(event.shardStart, event.shardSize, event.rangeEnd);
  const budget = budgetOf({
    now: Date.now(),
    remainingMs: invocation.getRemainingTimeInMillis?.(),
    viaApiGateway: false,
  });
  const aggregate = await sweep({
    range,
    urlTemplate: config.targetUrlTemplate,
    ...event.options,
    deadline: sweepDeadline(budget, undefined, config.responseMarginMs),
    onProgress: hooks.onProgress,
    pool: hooks.pool,
  });
  (hooks.log ?? console.log)(
    JSON.stringify({
      level: 'INFO',
      message: 'shard finished',
      requestId: invocation.awsRequestId,
      sweepId: event.sweepId,
      range,
      complete: aggregate.complete,
      statuses: aggregate.statuses,
      notAttempted: aggregate.notAttempted,
      durationMs: aggregate.endedAt - aggregate.startedAt,
    }),
  );
  return aggregate;
}
