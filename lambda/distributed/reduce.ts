import {
  type FailedShard,
  type IdRange,
  mergeAggregates,
  rangeSize,
  type SweepAggregate,
  summarize,
  Tally,
} from '../sweep/data.js';
import { planShards } from './shards.js';

/**
 * The aggregate of a whole range from its shards' aggregates, in any order: exactly what one
 * sweep of the range would report, plus `failedShards`. Ids of a shard that never reported (it
 * failed for good) are counted as not attempted, so the result still accounts for every id, says
 * incomplete, and names the shard (cut by `shardSize` when known, else one entry per gap).
 */
export function reduceShards(
  range: IdRange,
  shards: readonly SweepAggregate[],
  clock: { readonly startedAt: number; readonly endedAt: number },
  shardSize?: number,
): SweepAggregate {
  const sorted = [...shards].sort((a, b) => a.range.start - b.range.start);
  const pieces: SweepAggregate[] = [];
  const failedShards: FailedShard[] = [];
  const gap = (start: number, end: number) => {
    const missing = { start, end };
    pieces.push(summarize(new Tally(missing), clock));
    for (const shard of shardSize === undefined ? [missing] : planShards(missing, shardSize)) {
      failedShards.push({ range: shard, ids: rangeSize(shard) });
    }
  };
  let next = range.start;
  for (const shard of sorted) {
    if (shard.range.start < next || shard.range.end > range.end) {
      throw new RangeError(
        `shard ${shard.range.start}-${shard.range.end} overlaps another or lies outside ${range.start}-${range.end}`,
      );
    }
    if (shard.range.start > next) gap(next, shard.range.start - 1);
    pieces.push(shard);
    next = shard.range.end + 1;
  }
  if (next <= range.end) gap(next, range.end);
  const merged = mergeAggregates(...pieces);
  // The run's clock, not the shards': queueing between shards is part of the run's duration.
  return { ...merged, failedShards, startedAt: clock.startedAt, endedAt: clock.endedAt };
}
