import { PROCESS_ENVIRONMENT } from '../../infra/constructs/node-function.js';
import { workerPath } from '../lib/build.js';
import { runFresh, Worker } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, interleaved, median, range, type Variant, withRange } from '../lib/stats.js';
import type { ContentResult, ContentVariant } from '../workers/content.js';
import type { JsonUpstreamHello } from '../workers/json-upstream.js';
import type { ScaleResult } from '../workers/scale.js';
import { type BenchContext, template } from './context.js';
import { LAMBDA_128_FLAGS } from './scale.js';
import { CONCURRENCY, N } from './throughput.js';

/** Issue 23's bounds: phases cost ≤ 5 % CPU per request; a two-pointer rule ≤ 1.5x status only. */
const PHASES_TARGET = 1.05;
const CHECKED_TARGET = 1.5;
/** The seed's table with body checks: 100 ids at 400 ms, warm. */
const SEED_IDS = 100;
const SEED_LATENCY_MS = 400;
const SEED_TARGET = 95;
/** 100,000 ids with the rule on ~1 KB bodies, in a fresh process under Lambda's 128 MB flags. */
const RSS_IDS = 100_000;
const RSS_CONCURRENCY = 100;
const RSS_TARGET_BYTES = 128 * 1_048_576;

const LABELS: Record<ContentVariant, string> = {
  status: 'status only (phases on, the default)',
  'phases-off': 'status only, phases off',
  checked: 'two JSON Pointers ("/id": "{id}", "/name" exists)',
};

/**
 * Item 13 (issue 23): what body checks and phases cost. 20,000 requests at 64 in flight on a
 * loopback upstream answering ~1 KB JSON at once, each variant in a process of its own, in
 * interleaved rounds; then the seed's 100 ids at 400 ms with the body checks on.
 */
export async function content(ctx: BenchContext): Promise<Section> {
  const { worker: upstream, hello } = await Worker.start('json-upstream');
  const json = hello as JsonUpstreamHello;
  const clients = new Map<ContentVariant, Worker>();
  // The bounds are a few percent: more rounds than other items, each ratio paired within its round.
  const reps = ctx.quick ? 2 : 9;
  const call = async (variant: ContentVariant, target: string, n: number, concurrency: number) => {
    let worker = clients.get(variant);
    if (!worker) {
      worker = (await Worker.start('content')).worker;
      clients.set(variant, worker);
    }
    const r = await worker.call<ContentResult>({ variant, template: target, n, concurrency });
    if (r.answered !== n || r.content !== 0) {
      throw new Error(`${variant}: ${r.answered} of ${n} answered, ${r.content} content`);
    }
    return r;
  };
  const variants: Variant<ContentResult>[] = (Object.keys(LABELS) as ContentVariant[]).map(
    (variant) => ({ name: variant, run: () => call(variant, json.template, N, CONCURRENCY) }),
  );
  let results: Map<string, ContentResult[]>;
  const seed: ContentResult[] = [];
  let rss: ScaleResult | undefined;
  try {
    ctx.log(`content: ${variants.length} variants, ${reps} interleaved rounds`);
    results = await interleaved(variants, reps, 1);
    const target400 = template(ctx, SEED_LATENCY_MS);
    await call('checked', target400, SEED_IDS, SEED_IDS); // warm-up, as a warm Lambda
    for (let i = 0; i < reps; i++) seed.push(await call('checked', target400, SEED_IDS, SEED_IDS));
    ctx.log(`content: ${RSS_IDS.toLocaleString('en-US')} checked ids under the 128 MB flags`);
    const args = [json.template, String(RSS_IDS), String(RSS_CONCURRENCY), 'checked'];
    ({ result: rss } = await runFresh<ScaleResult>(workerPath('scale'), args, {
      nodeArgs: LAMBDA_128_FLAGS,
      env: { ...PROCESS_ENVIRONMENT },
    }));
    if (rss.answered !== RSS_IDS) throw new Error(`rss: ${rss.answered} answered`);
  } finally {
    for (const w of clients.values()) await w.stop();
    await upstream.stop();
  }
  const of = (v: ContentVariant) => results.get(v) ?? [];
  const cpuUs = (r: ContentResult) => (r.cpuMs * 1000) / N;
  /**
   * The median of the per-round ratios (the two variants ran next to each other in each round, so
   * a burst of load elsewhere moves both), with their range.
   */
  const ratio = (a: ContentVariant, b: ContentVariant) => {
    const rounds = of(a).map((r, i) => cpuUs(r) / cpuUs(of(b)[i] ?? r));
    const med = median(rounds);
    return { med, text: `${fmt.x(med)} (${range(rounds, fmt.x)})` };
  };
  const phases = ratio('status', 'phases-off');
  const checked = ratio('checked', 'status');
  const speedUps = seed.map((r) => r.latencySumMs / r.ms);
  return {
    title: '13. Body checks and phases: CPU per request',
    body: [
      `${N.toLocaleString('en-US')} requests at ${CONCURRENCY} in flight on a loopback upstream answering ${json.bodyBytes}-byte`,
      `JSON records at once; CPU (user + system) per request, medians of ${reps} interleaved rounds with the range;`,
      'each ratio below is the median of the per-round ratios.',
      '',
      table(
        ['engine', 'CPU per request'],
        (Object.keys(LABELS) as ContentVariant[]).map((v) => [
          LABELS[v],
          withRange(of(v).map(cpuUs), (us) => `${us.toFixed(1)} µs`),
        ]),
      ),
      '',
      `${RSS_IDS.toLocaleString('en-US')} ids with the rule, ${RSS_CONCURRENCY} in flight, in a fresh process under Lambda's 128 MB heap flags: peak RSS ${fmt.mb(rss?.peakRssBytes ?? 0)}.`,
      '',
      `The seed's table with the two-pointer rule: ${SEED_IDS} ids at ${SEED_LATENCY_MS} ms, warm, speed-up over one by one ${withRange(speedUps, (x) => `${x.toFixed(1)}x`)}.`,
    ].join('\n'),
    targets: [
      {
        what: '13. phases on vs off, CPU per request',
        measured: phases.text,
        target: `≤ ${PHASES_TARGET}x`,
        met: phases.med <= PHASES_TARGET,
      },
      {
        what: '13. two JSON Pointers on ~1 KB bodies vs status only, CPU per request',
        measured: checked.text,
        target: `≤ ${CHECKED_TARGET}x`,
        met: checked.med <= CHECKED_TARGET,
      },
      {
        what: `13. ${RSS_IDS.toLocaleString('en-US')} ids with body checks on ~1 KB bodies, 128 MB flags: peak RSS`,
        measured: fmt.mb(rss?.peakRssBytes ?? 0),
        target: `≤ ${fmt.mb(RSS_TARGET_BYTES)}`,
        met: (rss?.peakRssBytes ?? Number.POSITIVE_INFINITY) <= RSS_TARGET_BYTES,
      },
      {
        what: `13. ${SEED_IDS} ids at ${SEED_LATENCY_MS} ms with body checks, warm`,
        measured: `${median(speedUps).toFixed(1)}x`,
        target: `≥ ${SEED_TARGET}x`,
        met: median(speedUps) >= SEED_TARGET,
      },
    ],
  };
}
