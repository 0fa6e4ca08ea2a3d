import { type Section, table } from '../lib/report.js';
import { fmt, median, range, withRange } from '../lib/stats.js';
import type { Protocol } from '../workers/upstream.js';
import type { BenchContext } from './context.js';
import { firstMs, PROTOCOLS, seedRuns, WARM_INVOKES, warmMs } from './seed-tls.js';

/**
 * How much longer the first sweep of a fresh process may take than a warm one: issue 27's
 * 1.04 for plain HTTP; issue 14's 1.03 stays on the TLS rows, which issue 27 did not restate.
 */
const TARGET_RATIOS: Record<Protocol, number> = { http: 1.04, h1: 1.03, h2: 1.03 };

/** Item 2: the first sweep of a fresh process against the warm ones of the same process. */
export async function coldWarm(ctx: BenchContext): Promise<Section> {
  const { reps, fresh, bare } = await seedRuns(ctx);
  const rows: string[][] = [];
  const bareRows: string[][] = [];
  const targets = [];
  for (const { name, label } of PROTOCOLS) {
    const runs = fresh.get(name) ?? [];
    const ratios = runs.map((r) => firstMs(r) / warmMs(r));
    const extra = runs.map((r) => firstMs(r) - warmMs(r));
    // The invoke around the sweep: request parsing, aggregate, verdict, log line (metrics, events off).
    const around = runs.map((r) => firstMs(r) - Number(r.result.firstSweepMs ?? Number.NaN));
    rows.push([
      label,
      withRange(runs.map(firstMs), fmt.ms),
      withRange(runs.map(warmMs), fmt.ms),
      withRange(extra, fmt.ms),
      withRange(around, fmt.ms),
      withRange(ratios, (v) => v.toFixed(3)),
    ]);
    const undici = bare.get(name) ?? [];
    const undiciWarm = undici.map((r) => median(r.warmMs));
    bareRows.push([
      label,
      withRange(
        undici.map((r) => r.firstMs),
        fmt.ms,
      ),
      withRange(undiciWarm, fmt.ms),
      withRange(
        undici.map((r, i) => r.firstMs - (undiciWarm[i] ?? Number.NaN)),
        fmt.ms,
      ),
      withRange(
        undici.map((r, i) => r.firstMs / (undiciWarm[i] ?? Number.NaN)),
        (v) => v.toFixed(3),
      ),
      fmt.x(median(runs.map(firstMs)) / median(undici.map((r) => r.firstMs))),
    ]);
    targets.push({
      what: `2. cold / warm, 100 ids at 400 ms, ${label}`,
      measured: `${median(ratios).toFixed(3)} (${range(ratios, (v) => v.toFixed(3))})`,
      target: `≤ ${TARGET_RATIOS[name]}`,
      met: median(ratios) <= TARGET_RATIOS[name],
    });
  }
  return {
    title: '2. Cold ≈ warm: the first sweep of a fresh process against its warm ones',
    body: [
      `The same fresh processes as item 1 (${reps} per transport): each one’s first 100-id invoke over the`,
      'median of its warm ones. What the first invoke pays on top is connection set-up (TCP, TLS',
      'handshakes) and code that runs for the first time (V8 compiles it then). “Outside the sweep”:',
      'the cold invoke minus the `durationMs` the sweep itself reports (request parsing, aggregate,',
      'verdict, log line; metrics and events are off in these processes), so the rest of cold − warm is the sweep’s.',
      '',
      table(
        ['transport', 'cold', 'warm', 'cold − warm', 'cold: outside the sweep', 'cold / warm'],
        rows,
      ),
      '',
      'The floor: bare undici (bench/workers/undici-cold.ts, no engine code) in fresh processes',
      'interleaved with the rows above: one Pool, the 100 requests at once, each body dumped, then',
      `${WARM_INVOKES} warm sweeps; its clock starts before the pool is made, as the engine’s cold invoke`,
      'makes its own. Bare undici neither resumes TLS sessions nor parses, checks or reports anything.',
      '',
      table(
        [
          'transport',
          'undici cold',
          'undici warm',
          'cold − warm',
          'cold / warm',
          'engine cold / undici cold',
        ],
        bareRows,
      ),
    ].join('\n'),
    targets,
  };
}
