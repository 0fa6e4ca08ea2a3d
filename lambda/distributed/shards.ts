import type { IdRange } from '../sweep/data.js';

/** The shards of a range: consecutive ranges of `shardSize` ids, the last one shorter. */
export function planShards(range: IdRange, shardSize: number): IdRange[] {
  if (!Number.isSafeInteger(shardSize) || shardSize < 1) {
    throw new RangeError(`shard size must be a positive integer, got ${shardSize}`);
  }
  const shards: IdRange[] = [];
  for (let start = range.start; start <= range.end; start += shardSize) {
    shards.push(shardAt(start, shardSize, range.end));
  }
  return shards;
}

/** The shard that starts at `start` (what each Distributed Map item carries). */
export function shardAt(start: number, shardSize: number, rangeEnd: number): IdRange {
  return { start, end: Math.min(rangeEnd, start + shardSize - 1) };
}

/** How many shards a range needs. */
export function shardCount(range: IdRange, shardSize: number): number {
  return Math.ceil((range.end - range.start + 1) / shardSize);
}
