/**
 * The reduce of a distributed sweep in a fresh process: shards arrive as JSON (as the runs
 * function reads them from S3), are parsed and merged. Usage: node merge.mjs <ids> <shardSize>
 * Prints one JSON line.
 */
import { reduceShards } from '../../lambda/distributed/reduce.js';
import type { SweepAggregate } from '../../lambda/sweep/aggregate.js';
import { fragmentedShards } from '../../test/support/fragmented.js';

export interface MergeResult {
  readonly shards: number;
  /** Parsing the shards' JSON and merging them. */
  readonly mergeMs: number;
  /** RSS with the shards' JSON in memory, before the merge. */
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  /** Peak RSS of the process (getrusage maxrss: its whole life). */
  readonly peakRssBytes: number;
  /** The merged aggregate as JSON. */
  readonly resultBytes: number;
}

const [ids = '0', shardSize = '0'] = process.argv.slice(2);
const range = { start: 1, end: Number(ids) };
const texts = fragmentedShards(range.end, Number(shardSize)).map((a) => JSON.stringify(a));
const rssBeforeBytes = process.memoryUsage.rss();
const started = performance.now();
const shards = texts.map((text) => JSON.parse(text) as SweepAggregate);
const merged = reduceShards(range, shards, { startedAt: 0, endedAt: 1 }, Number(shardSize));
const mergeMs = performance.now() - started;
const result: MergeResult = {
  shards: texts.length,
  mergeMs,
  rssBeforeBytes,
  rssAfterBytes: process.memoryUsage.rss(),
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  resultBytes: Buffer.byteLength(JSON.stringify(merged)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
