import { workerPath } from '../lib/build.js';
import { runFresh } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, interleaved, median, withRange } from '../lib/stats.js';
import type { MergeResult } from '../workers/merge.js';
import type { RunEndResult } from '../workers/run-end.js';
import type { BenchContext } from './context.js';

const IDS = 1_000_000;
const SHARD_SIZE = 10_000;
const MERGE_TARGET_MS = 2_000;
/** Issue 27's target 5: from the last response of the fragmented run to its answer. */
const END_TARGET_MS = 1_000;
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
  const ends = await runEnds(ctx, reps);
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
      '',
      `The end of the run: from the shards' aggregates (the last response is in) to the answer, as the`,
      'local runs and the reduce step conclude it: merge, verdict, the baseline compared and kept',
      "(in memory: the store's I/O is not timed), the result's JSON, and its summary when it is too",
      'big for a Lambda response. Two runs per process under one schedule: the first keeps a baseline,',
      `the second is compared with it. Medians of ${reps} fresh processes per shape, interleaved,`,
      'run-to-run range in brackets.',
      '',
      table(
        ['ids', 'first run', 'compared with a baseline', 'full result', 'answer', 'peak RSS'],
        SHAPES.map((shape) => {
          const r = ends.get(shape) ?? [];
          return [
            shape === 'fragmented' ? 'alternating 200/404' : 'every id 200',
            withRange(
              r.map((e) => e.firstMs),
              fmt.ms,
            ),
            withRange(
              r.map((e) => e.comparedMs),
              fmt.ms,
            ),
            fmt.mb(r[0]?.resultBytes ?? Number.NaN),
            fmt.kb(r[0]?.answerBytes ?? Number.NaN),
            fmt.mb(Math.max(...r.map((e) => e.peakRssBytes))),
          ];
        }),
      ),
    ].join('\n'),
    targets: [
      {
        what: `11. end of a ${fmt.int(IDS)}-id fragmented run, last response to answer (with a baseline)`,
        measured: withRange(fragmentedEnds(ends), fmt.ms),
        target: `≤ ${fmt.ms(END_TARGET_MS)}`,
        met: median(fragmentedEnds(ends)) <= END_TARGET_MS,
      },
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

const SHAPES = ['fragmented', 'uniform'] as const;

const fragmentedEnds = (ends: Map<string, RunEndResult[]>) =>
  (ends.get('fragmented') ?? []).map((e) => e.comparedMs);

/** The end of a 1,000,000-id run in fresh processes, fragmented and uniform interleaved. */
function runEnds(ctx: BenchContext, reps: number): Promise<Map<string, RunEndResult[]>> {
  ctx.log(`run end: ${reps} interleaved rounds of fresh processes`);
  return interleaved(
    SHAPES.map((shape) => ({
      name: shape,
      run: async () =>
        (
          await runFresh<RunEndResult>(workerPath('run-end'), [
            String(IDS),
            String(SHARD_SIZE),
            shape,
          ])
        ).result,
    })),
    reps,
    0,
  );
}
