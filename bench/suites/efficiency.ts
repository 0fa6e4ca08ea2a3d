import { Worker } from '../lib/procs.js';
import { type Section, type Target, table } from '../lib/report.js';
import { fmt, interleaved, median, type Variant } from '../lib/stats.js';
import type { ClientJob, ClientResult } from '../workers/client.js';
import { type BenchContext, template } from './context.js';

const N = 1_000;
const LATENCIES_MS = [20, 100] as const;
const CONCURRENCIES = [10, 50, 100, 256] as const;
/** Issue targets: ≥ 0.9 at L = 100 ms, C = 100; ≥ 0.8 at L = 20 ms. */
const TARGET_100 = 0.9;
const TARGET_20 = 0.8;

const ideal = (latencyMs: number, concurrency: number) => Math.ceil(N / concurrency) * latencyMs;

/** Item 2: ideal ceil(N/C)·L over the measured time, engine only, N = 1,000. */
export async function efficiencyGrid(ctx: BenchContext): Promise<Section> {
  const { worker } = await Worker.start('client');
  const reps = ctx.quick ? 1 : 3;
  const variants: Variant<number>[] = LATENCIES_MS.flatMap((latency) =>
    CONCURRENCIES.map((concurrency) => ({
      name: `${latency}/${concurrency}`,
      run: async () => {
        const job: ClientJob = {
          kind: 'engine',
          template: template(ctx, latency),
          n: N,
          concurrency,
        };
        const result = await worker.call<ClientResult>(job);
        if (result.answered !== N)
          throw new Error(`efficiency ${latency}/${concurrency}: ${result.answered} answered`);
        return result.ms;
      },
    })),
  );
  let results: Map<string, number[]>;
  try {
    ctx.log('efficiency: warm-up');
    // One fast sweep warms the JIT; the grid itself is too slow (16 s a round) to run twice.
    await worker.call({ kind: 'engine', template: template(ctx, 0), n: N, concurrency: 100 });
    ctx.log(`efficiency: ${reps} interleaved rounds of ${variants.length}`);
    results = await interleaved(variants, reps, 0);
  } finally {
    await worker.stop();
  }
  const eff = (latency: number, concurrency: number) =>
    ideal(latency, concurrency) / median(results.get(`${latency}/${concurrency}`) ?? []);
  const rows = LATENCIES_MS.flatMap((latency) =>
    CONCURRENCIES.map((concurrency) => [
      `${latency} ms`,
      String(concurrency),
      fmt.ms(ideal(latency, concurrency)),
      fmt.ms(median(results.get(`${latency}/${concurrency}`) ?? [])),
      eff(latency, concurrency).toFixed(3),
    ]),
  );
  const targets: Target[] = [
    {
      what: '2. efficiency, L = 100 ms, C = 100',
      measured: eff(100, 100).toFixed(3),
      target: `≥ ${TARGET_100}`,
      met: eff(100, 100) >= TARGET_100,
    },
    ...CONCURRENCIES.map((c) => ({
      what: `2. efficiency, L = 20 ms, C = ${c}`,
      measured: eff(20, c).toFixed(3),
      target: `≥ ${TARGET_20}`,
      met: eff(20, c) >= TARGET_20,
    })),
  ];
  return {
    title: '2. Efficiency: ideal ceil(N/C)·L over measured, N = 1,000',
    body: [
      `The engine (sweep()) alone, retries 0, against upstreams with fixed latency L; medians of ${reps}`,
      'interleaved runs. 1.000 would be the physical limit.',
      '',
      table(['L', 'C', 'ideal', 'measured', 'efficiency'], rows),
    ].join('\n'),
    targets,
  };
}
