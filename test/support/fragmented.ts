/** The worst case for merging: shards whose ids alternate 200/404, so every id is its own span. */

import { planShards } from '../../lambda/distributed/shards.js';
import { type SweepAggregate, summarize, Tally } from '../../lambda/sweep/aggregate.js';

/** Aggregates of `ids` ids from 1, in shards of `shardSize`, odd ids 200 and even ids 404. */
export function fragmentedShards(ids: number, shardSize: number): SweepAggregate[] {
  return planShards({ start: 1, end: ids }, shardSize).map((range) => {
    const tally = new Tally(range);
    for (let id = range.start; id <= range.end; id++) {
      tally.attempts++;
      tally.settle(id, { kind: 'status', status: id % 2 === 1 ? 200 : 404 }, 100 + (id % 300));
    }
    return summarize(tally, { startedAt: 0, endedAt: 1 });
  });
}
