import { mergeAggregates, type SweepAggregate, summarize, Tally } from '../sweep/aggregate.js';
import type { IdRange } from '../sweep/range.js';

/**
 * The aggregate of a whole range from its shards' aggregates, in any order: exactly what one
 * sweep of the range would report. Ids of a shard that never reported (it failed for good) are
 * counted as not attempted, so the result still accounts for every id and says incomplete.
 */
export function reduceShards(
  range: IdRange,
  shards: readonly SweepAggregate[],
  clock: { readonly startedAt: number; readonly endedAt: number },
): SweepAggregate {
  const sorted = [...shards].sort((a, b) => a.range.start - b.range.start);
  const pieces: SweepAggregate[] = [];
  let next = range.start;
  for (const shard of sorted) {
    if (shard.range.start < next || shard.range.end > range.end) {
      throw new RangeError(
        `shard ${shard.range.start}-${shard.range.end} overlaps another or lies outside ${range.start}-${range.end}`,
      );
    }
    if (shard.range.start > next)
      pieces.push(missing({ start: next, end: shard.range.start - 1 }, clock));
    pieces.push(shard);
    next = shard.range.end + 1;
  }
  if (next <= range.end) pieces.push(missing({ start: next, end: range.end }, clock));
  const [first, ...rest] = pieces;
  if (!first) throw new RangeError('a range has at least one id');
  const merged = rest.reduce(mergeAggregates, first);
  // The run's clock, not the shards': queueing between shards is part of the run's duration.
  return { ...merged, startedAt: clock.startedAt, endedAt: clock.endedAt };
}

/** A shard that never reported: all of its ids not attempted. */
function missing(range: IdRange, clock: { startedAt: number; endedAt: number }): SweepAggregate {
  return summarize(new Tally(range), clock);
}
