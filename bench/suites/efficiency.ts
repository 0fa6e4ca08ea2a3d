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

/** Cells whose ideal time is at most this also run the bare undici loop and a warm-up each. */
const CHEAP_CELL_MS = 2_000;

/**
 * Item 2: ideal ceil(N/C)·L over the measured time, N = 1,000. Each cell runs as a block, the
 * engine interleaved with a bare undici.request loop at the same C (the best a client gets on
 * this machine), so that a cell's pool stays warm, as in a Lambda swept at one concurrency.
 */
export async function efficiencyGrid(ctx: BenchContext): Promise<Section> {
  const { worker } = await Worker.start('client');
  const reps = ctx.quick ? 1 : 3;
  const results = new Map<string, number[]>();
  const cell = (
    kind: 'engine' | 'undici',
    latency: number,
    concurrency: number,
  ): Variant<number> => ({
    name: `${kind}/${latency}/${concurrency}`,
    run: async () => {
      const job: ClientJob = { kind, template: template(ctx, latency), n: N, concurrency };
      const result = await worker.call<ClientResult>(job);
      if (result.answered !== N)
        throw new Error(`${job.kind} ${latency}/${concurrency}: ${result.answered} answered`);
      return result.ms;
    },
  });
  try {
    for (const latency of LATENCIES_MS) {
      for (const concurrency of CONCURRENCIES) {
        const cheap = ideal(latency, concurrency) <= CHEAP_CELL_MS;
        const variants = [
          cell('engine', latency, concurrency),
          ...(cheap ? [cell('undici', latency, concurrency)] : []),
        ];
        ctx.log(`efficiency: L = ${latency} ms, C = ${concurrency}`);
        for (const [name, runs] of await interleaved(variants, reps, cheap ? 1 : 0))
          results.set(name, runs);
      }
    }
  } finally {
    await worker.stop();
  }
  const measured = (kind: string, latency: number, concurrency: number) =>
    median(results.get(`${kind}/${latency}/${concurrency}`) ?? []);
  const eff = (latency: number, concurrency: number, kind = 'engine') =>
    ideal(latency, concurrency) / measured(kind, latency, concurrency);
  const rows = LATENCIES_MS.flatMap((latency) =>
    CONCURRENCIES.map((concurrency) => {
      const bare = results.has(`undici/${latency}/${concurrency}`);
      return [
        `${latency} ms`,
        String(concurrency),
        fmt.ms(ideal(latency, concurrency)),
        fmt.ms(measured('engine', latency, concurrency)),
        eff(latency, concurrency).toFixed(3),
        bare ? eff(latency, concurrency, 'undici').toFixed(3) : '–',
        bare
          ? fmt.x(
              measured('undici', latency, concurrency) / measured('engine', latency, concurrency),
            )
          : '–',
      ];
    }),
  );
  const targets: Target[] = [
    {
      what: '2. efficiency, L = 100 ms, C = 100',
      measured: eff(100, 100).toFixed(3),
      target: `≥ ${TARGET_100}`,
      met: eff(100, 100) >= TARGET_100,
    },
    ...CONCURRENCIES.map((c) => ({
      what: `2. efficiency, L = 20 ms, C = ${c} (bare undici: ${eff(20, c, 'undici').toFixed(3)})`,
      measured: eff(20, c).toFixed(3),
      target: `≥ ${TARGET_20}`,
      met: eff(20, c) >= TARGET_20,
    })),
  ];
  return {
    title: '2. Efficiency: ideal ceil(N/C)·L over measured, N = 1,000',
    body: [
      `The engine (sweep()), retries 0, against upstreams with fixed latency L; medians of ${reps} runs.`,
      '1.000 would be the physical limit. Where the ideal is at most 2 s, a bare undici.request loop',
      'at the same concurrency runs interleaved with the engine, after a warm-up of both: it is what',
      'any client achieves on this machine, so the last column isolates the engine’s own cost.',
      '',
      table(
        [
          'L',
          'C',
          'ideal',
          'engine',
          'efficiency',
          'bare undici efficiency',
          'engine speed vs bare undici',
        ],
        rows,
      ),
    ].join('\n'),
    targets,
  };
}
