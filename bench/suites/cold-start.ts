import { statSync } from 'node:fs';
import { SWEEP_BUNDLE_BUDGET_BYTES } from '../../infra/bundle-budget.js';
import { postSweeps } from '../../test/support/events.js';
import { workerPath } from '../lib/build.js';
import { type Bundle, loopbackAws } from '../lib/deployed.js';
import { runFresh } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, interleaved, median, type Variant } from '../lib/stats.js';
import type { ColdResult } from '../workers/cold.js';
import { type BenchContext, template } from './context.js';
import { LAMBDA_128_FLAGS } from './scale.js';

const LOAD_TARGET_RATIO = 1.2;
/** The ids of the memory check through the deployed bundle (item 4's target). */
const BIG_SWEEP_IDS = 100_000;
/** The smallest Lambda's memory. */
const LAMBDA_MEMORY_BYTES = 128 * 1024 * 1024;

/** Item 5: bundle size, fresh-process load time against its dependencies alone, first vs warm invoke. */
export async function coldStart(ctx: BenchContext): Promise<Section> {
  const bundles = await ctx.bundles();
  // The deployed environment sets no NODE_OPTIONS; one variant adds --enable-source-maps, which
  // the functions ran with until 2026-12-03, to show what it cost.
  const env = (bundle: Bundle, sourceMaps = false): Record<string, string> => ({
    ...bundle.environment,
    ...loopbackAws(ctx),
    TARGET_URL_TEMPLATE: template(ctx, 0),
    NODE_OPTIONS: sourceMaps ? '--enable-source-maps' : (bundle.environment.NODE_OPTIONS ?? ''),
  });
  const load =
    (bundle: Bundle, sourceMaps = false) =>
    async () =>
      (
        await runFresh<ColdResult>(workerPath('cold'), [bundle.module], {
          env: env(bundle, sourceMaps),
        })
      ).result;
  const variants: Variant<ColdResult>[] = [
    { name: 'deployed', run: load(bundles.deployed) },
    { name: 'depsOnly', run: load(bundles.depsOnly) },
    { name: 'empty', run: load(bundles.empty) },
    { name: 'deployedMaps', run: load(bundles.deployed, true) },
  ];
  const reps = ctx.quick ? 3 : 10;
  ctx.log(`cold start: ${reps} interleaved rounds of fresh-process loads`);
  const loads = await interleaved(variants, reps, 1);
  const importMs = (name: string) => median((loads.get(name) ?? []).map((r) => r.importMs));
  const startMs = (name: string) => median((loads.get(name) ?? []).map((r) => r.sinceStartMs));
  const rss = (name: string) => median((loads.get(name) ?? []).map((r) => r.rssBytes));

  const invokeReps = ctx.quick ? 2 : 5;
  const event = JSON.stringify(postSweeps({ start: 1, end: 10, concurrency: 10, retries: 0 }));
  const invokes: ColdResult[] = [];
  ctx.log(`cold start: ${invokeReps} fresh processes, first invoke and 5 warm ones`);
  for (let i = 0; i < invokeReps; i++) {
    const { result } = await runFresh<ColdResult>(
      workerPath('cold'),
      [bundles.deployed.module, event, '5'],
      { env: env(bundles.deployed) },
    );
    if (result.firstStatus !== 200)
      throw new Error(`first invoke answered ${String(result.firstStatus)}`);
    invokes.push(result);
  }
  const published = await ctx.upstream.call<{ requests: number }>({ kind: 'cloudwatch' });

  // Item 4's memory target, on the real thing: 100,000 ids through the deployed bundle, with the
  // heap flags Lambda gives a 128 MB function, as one direct invoke.
  ctx.log(`cold start: ${BIG_SWEEP_IDS} ids through the deployed bundle under Lambda 128 MB flags`);
  const { result: big } = await runFresh<ColdResult>(
    workerPath('cold'),
    [
      bundles.deployed.module,
      JSON.stringify({ start: 1, end: BIG_SWEEP_IDS, concurrency: 100, retries: 0 }),
      '0',
    ],
    {
      env: {
        ...env(bundles.deployed),
        TARGET_URL_TEMPLATE: template(ctx, 5),
        MAX_IDS: String(BIG_SWEEP_IDS),
        METRICS_MODE: 'off',
      },
      nodeArgs: LAMBDA_128_FLAGS,
    },
  );
  if (big.firstComplete !== true) throw new Error('the 100,000-id sweep did not complete');
  const bigRss = big.maxRssBytes ?? Number.NaN;
  const first = median(invokes.map((r) => r.firstInvokeMs ?? Number.NaN));
  const warm = median(invokes.flatMap((r) => r.warmInvokeMs ?? []));

  const size = (b: Bundle) => statSync(b.module).size;
  const mapSize = (b: Bundle) => statSync(`${b.module}.map`).size;
  const ratio = importMs('deployed') / importMs('depsOnly');
  const rows: [string, Bundle, string][] = [
    ['deployed handler', bundles.deployed, 'deployed'],
    [
      'runtime deps only (undici, CloudWatch, SFN, Secrets Manager and S3 clients, valibot, middy)',
      bundles.depsOnly,
      'depsOnly',
    ],
    ['empty handler', bundles.empty, 'empty'],
    ['deployed handler, with --enable-source-maps', bundles.deployed, 'deployedMaps'],
  ];
  return {
    title: '9. Cold start proxy',
    body: [
      'Bundles built by infra’s SweepFunction (NodejsFunction: ESM, minified, source maps, node24),',
      'synthesized as cdk synth does; the deps-only and empty handlers are the same construct with',
      'another entry (bench/cold). Each load is a fresh node process importing the module with the',
      `deployed environment (NODE_OPTIONS=${bundles.deployed.environment.NODE_OPTIONS ?? 'unset'}); medians of ${reps} interleaved runs.`,
      '“since process start” adds node’s own start-up to the import.',
      '',
      table(
        [
          'module',
          'bundle',
          'source map',
          'import',
          'since process start',
          'import vs deps only',
          'RSS after import',
        ],
        rows.map(([label, bundle, name]) => [
          label,
          fmt.kb(size(bundle)),
          fmt.kb(mapSize(bundle)),
          fmt.ms(importMs(name)),
          fmt.ms(startMs(name)),
          fmt.x(importMs(name) / importMs('depsOnly')),
          fmt.mb(rss(name)),
        ]),
      ),
      '',
      `Invocations of the deployed bundle (an HTTP API POST of 10 ids at concurrency 10 on a`,
      'zero-latency upstream, metrics published to the loopback CloudWatch), in',
      `${invokeReps} fresh processes: first invoke ${fmt.ms(first)}, warm invoke ${fmt.ms(warm)} (median of`,
      `${invokeReps} × 5): the first is ${fmt.x(first / warm)} the warm one. ${published.requests} PutMetricData requests arrived.`,
      '',
      `The deployed bundle, one direct invoke of ${BIG_SWEEP_IDS.toLocaleString('en-US')} ids (C = 100, L = 5 ms, MAX_IDS raised to`,
      `allow it, metrics off) in a fresh process started with ${LAMBDA_128_FLAGS.join(' ')} and the function’s environment (MALLOC_ARENA_MAX=${bundles.deployed.environment.MALLOC_ARENA_MAX ?? 'unset'}):`,
      `${fmt.ms(big.firstInvokeMs ?? Number.NaN)}, peak RSS ${fmt.mb(bigRss)} for the whole process (runtime, bundle and sweep).`,
    ].join('\n'),
    targets: [
      {
        what: '8. peak RSS at 100k through the deployed bundle, Lambda 128 MB flags',
        measured: fmt.mb(bigRss),
        target: '≤ 128 MB',
        met: bigRss <= LAMBDA_MEMORY_BYTES,
      },
      {
        what: '9. load time, deployed vs deps only',
        measured: fmt.x(ratio),
        target: `≤ ${LOAD_TARGET_RATIO}x`,
        met: ratio <= LOAD_TARGET_RATIO,
      },
      {
        what: '9. bundle size',
        measured: fmt.kb(size(bundles.deployed)),
        target: `≤ ${fmt.kb(SWEEP_BUNDLE_BUDGET_BYTES)} (${fmt.int(SWEEP_BUNDLE_BUDGET_BYTES)} bytes, as the artifact test)`,
        met: size(bundles.deployed) <= SWEEP_BUNDLE_BUDGET_BYTES,
      },
    ],
  };
}
