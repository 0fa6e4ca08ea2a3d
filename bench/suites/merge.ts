import { workerPath } from '../lib/build.js';
import { runFresh } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, median } from '../lib/stats.js';
import type { MergeResult } from '../workers/merge.js';
import type { BenchContext } from './context.js';

const IDS = 1_000_000;
const SHARD_SIZE = 10_000;
const MERGE_TARGET_MS = 2_000;
/** The runs function's memory (infra/constructs/runs-function.ts). */
const RUNS_MEMORY_BYTES = 1024 * 1_048_576;

/** Item 11: the reduce of 1,000,000 fragmented ids (alternating 200/404), each run in a fresh process. */
export async function merge(ctx: BenchContext): Promise<Section> {
  const reps = ctx.quick ? 1 : 3;
  const runs: MergeResult[] = [];
  for (let i = 0; i < reps; i++) {
    ctx.log(`merge: run ${i + 1}/${reps}`);
    const { result } = await runFresh<MergeResult>(workerPath('merge'), [
      String(IDS),
      String(SHARD_SIZE),
    ]);
    runs.push(result);
  }
  const ms = median(runs.map((r) => r.mergeMs));
  const peak = Math.max(...runs.map((r) => r.peakRssBytes));
  const [first] = runs;
  return {
    title: `11. Merge: ${fmt.int(IDS)} ids alternating 200/404 from ${IDS / SHARD_SIZE} shards`,
    body: [
      'The reduce step as the runs function runs it: the shards arrive as JSON, are parsed and',
      'merged (sorted by start, ids joined end to end). Every id is its own span, the worst case',
      `for the compact form. Median of ${reps} fresh processes; peak RSS is the highest seen.`,
      '',
      table(
        ['parse + merge', 'RSS before', 'RSS after', 'peak RSS', 'merged JSON'],
        [
          [
            fmt.ms(ms),
            fmt.mb(first?.rssBeforeBytes ?? Number.NaN),
            fmt.mb(first?.rssAfterBytes ?? Number.NaN),
            fmt.mb(peak),
            fmt.mb(first?.resultBytes ?? Number.NaN),
          ],
        ],
      ),
    ].join('\n'),
    targets: [
      {
        what: `11. merge of ${fmt.int(IDS)} fragmented ids`,
        measured: fmt.ms(ms),
        target: `≤ ${fmt.ms(MERGE_TARGET_MS)}`,
        met: ms <= MERGE_TARGET_MS,
      },
      {
        what: '11. peak RSS of that merge',
        measured: fmt.mb(peak),
        target: `≤ half the runs function's ${fmt.mb(RUNS_MEMORY_BYTES)}`,
        met: peak <= RUNS_MEMORY_BYTES / 2,
      },
    ],
  };
}
