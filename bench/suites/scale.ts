import { PROCESS_ENVIRONMENT } from '../../infra/constructs/node-function.js';
import { workerPath } from '../lib/build.js';
import { runFresh } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, median } from '../lib/stats.js';
import type { ScaleResult } from '../workers/scale.js';
import { type BenchContext, template } from './context.js';

const SIZES = [1_000, 10_000, 100_000] as const;
const CONCURRENCY = 100;
const LATENCY_MS = 5;
const RSS_TARGET_BYTES = 128 * 1_048_576;

/**
 * The V8 heap flags the Lambda Node.js runtime's bootstrap passes for a 128 MB function: new
 * space is a tenth of the memory (12 MB, so 6 MB per semi-space) and old space most of the rest.
 * The bootstrap derives them from AWS_LAMBDA_FUNCTION_MEMORY_SIZE unless NODE_OPTIONS sets them.
 * @see https://dev.to/wonderfulsoap/deep-dive-into-aws-lambda-3-official-nodejs-runtime-analysis-43je
 */
export const LAMBDA_128_FLAGS = ['--max-semi-space-size=6', '--max-old-space-size=115'] as const;

/**
 * The engine-only rows under Lambda's flags also get the environment every function of ours
 * starts with (one malloc arena): the deployed rows (items 9, 14) get it from the synthesized
 * function itself.
 */
const FLAG_SETS = [
  { name: 'default', label: 'node defaults', args: [] as readonly string[], env: {} },
  {
    name: 'lambda128',
    label: 'Lambda 128 MB flags, one malloc arena',
    args: LAMBDA_128_FLAGS,
    env: PROCESS_ENVIRONMENT,
  },
] as const;

/** Item 4: time per id and peak RSS as N grows, each sweep in a fresh process. */
export async function scale(ctx: BenchContext): Promise<Section> {
  const reps = ctx.quick ? 1 : 3;
  const reps100k = ctx.quick ? 1 : 2;
  const results = new Map<string, ScaleResult[]>();
  const once = async (n: number, flags: (typeof FLAG_SETS)[number]) => {
    const { result } = await runFresh<ScaleResult>(
      workerPath('scale'),
      [template(ctx, LATENCY_MS), String(n), String(CONCURRENCY)],
      { nodeArgs: flags.args, env: { ...flags.env } },
    );
    if (result.answered !== n) throw new Error(`scale ${n}: ${result.answered} answered`);
    const key = `${n}/${flags.name}`;
    results.set(key, [...(results.get(key) ?? []), result]);
  };
  for (let round = 0; round < reps; round++) {
    ctx.log(`scale: round ${round + 1}/${reps}`);
    for (const n of SIZES) {
      if (n === 100_000 && round >= reps100k) continue;
      const flagOrder = round % 2 === 0 ? FLAG_SETS : [...FLAG_SETS].reverse();
      for (const flags of flagOrder) await once(n, flags);
    }
  }
  const perId = (n: number, flags: string) =>
    (median((results.get(`${n}/${flags}`) ?? []).map((r) => r.ms)) * 1000) / n;
  const peak = (n: number, flags: string) =>
    Math.max(...(results.get(`${n}/${flags}`) ?? []).map((r) => r.peakRssBytes));
  const rows = SIZES.flatMap((n) =>
    FLAG_SETS.map((flags) => {
      const [first] = results.get(`${n}/${flags.name}`) ?? [];
      return [
        fmt.int(n),
        flags.label,
        fmt.ms(median((results.get(`${n}/${flags.name}`) ?? []).map((r) => r.ms))),
        perId(n, flags.name).toFixed(1),
        fmt.x(perId(n, flags.name) / perId(1_000, flags.name)),
        fmt.x((((Math.ceil(n / CONCURRENCY) * LATENCY_MS) / n) * 1000) / perId(n, flags.name)),
        fmt.mb(first?.baselineRssBytes ?? Number.NaN),
        fmt.mb(peak(n, flags.name)),
        fmt.mb(first?.heapLimitBytes ?? Number.NaN),
      ];
    }),
  );
  const lambdaPeak = peak(100_000, 'lambda128');
  const flat = perId(100_000, 'default') / perId(1_000, 'default');
  return {
    title: `8. Scale: C = ${CONCURRENCY}, L = ${LATENCY_MS} ms`,
    body: [
      'Each sweep runs in a fresh process (the engine only, after a 1,000-id warm-up sweep), so its',
      'peak RSS (getrusage maxrss, the',
      `whole life of the process) is its own. Medians of ${reps} runs (${reps100k} at 100k); peak RSS is the`,
      `highest seen. The ideal time per id is L/C = ${((LATENCY_MS / CONCURRENCY) * 1000).toFixed(0)} µs.`,
      '',
      table(
        [
          'ids',
          'V8 flags',
          'time',
          'µs per id',
          'per id vs 1k',
          'efficiency',
          'RSS before',
          'peak RSS',
          'heap limit',
        ],
        rows,
      ),
    ].join('\n'),
    targets: [
      {
        what: '8. time per id, 100k vs 1k (node defaults)',
        measured: fmt.x(flat),
        target: 'flat (≤ 1.1x)',
        met: flat <= 1.1,
      },
      {
        what: '8. peak RSS at 100k, Lambda 128 MB flags',
        measured: fmt.mb(lambdaPeak),
        target: '≤ 128 MB',
        met: lambdaPeak <= RSS_TARGET_BYTES,
      },
    ],
    notes: [
      `The 128 MB target is the smallest Lambda, whose runtime starts node with ${LAMBDA_128_FLAGS.join(' ')} (derived from the memory size), so the Lambda-flags row is the one the target refers to; with node's defaults V8 sizes its heap for this machine and lets garbage accumulate longer, which says little about a 128 MB sandbox.`,
      'The flags were taken from the Node.js runtime’s bootstrap as published (new space = memory/10, semi-space half of it); the old-space figure is within a few MB of what the current runtime computes, which does not change the verdict.',
    ],
  };
}
