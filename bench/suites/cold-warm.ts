import { type Section, table } from '../lib/report.js';
import { fmt, median, range, withRange } from '../lib/stats.js';
import type { BenchContext } from './context.js';
import { firstMs, PROTOCOLS, seedRuns, warmMs } from './seed-tls.js';

/** The first sweep of a fresh process may take at most this much longer than a warm one. */
const TARGET_RATIO = 1.03;

/** Item 2: the first sweep of a fresh process against the warm ones of the same process. */
export async function coldWarm(ctx: BenchContext): Promise<Section> {
  const { reps, fresh } = await seedRuns(ctx);
  const rows: string[][] = [];
  const targets = [];
  for (const { name, label } of PROTOCOLS) {
    const runs = fresh.get(name) ?? [];
    const ratios = runs.map((r) => firstMs(r) / warmMs(r));
    const extra = runs.map((r) => firstMs(r) - warmMs(r));
    // The invoke around the sweep: request parsing, aggregate, verdict, log line (metrics off).
    const around = runs.map((r) => firstMs(r) - Number(r.result.firstSweepMs ?? Number.NaN));
    rows.push([
      label,
      withRange(runs.map(firstMs), fmt.ms),
      withRange(runs.map(warmMs), fmt.ms),
      withRange(extra, fmt.ms),
      withRange(around, fmt.ms),
      withRange(ratios, (v) => v.toFixed(3)),
    ]);
    targets.push({
      what: `2. cold / warm, 100 ids at 400 ms, ${label}`,
      measured: `${median(ratios).toFixed(3)} (${range(ratios, (v) => v.toFixed(3))})`,
      target: `≤ ${TARGET_RATIO}`,
      met: median(ratios) <= TARGET_RATIO,
    });
  }
  return {
    title: '2. Cold ≈ warm: the first sweep of a fresh process against its warm ones',
    body: [
      `The same fresh processes as item 1 (${reps} per transport): each one’s first 100-id invoke over the`,
      'median of its warm ones. What the first invoke pays on top is connection set-up (TCP, TLS',
      'handshakes) and code that runs for the first time (V8 compiles it then). “Outside the sweep”:',
      'the cold invoke minus the `durationMs` the sweep itself reports (request parsing, aggregate,',
      'verdict, log line; metrics are off in these processes), so the rest of cold − warm is the sweep’s.',
      '',
      table(
        ['transport', 'cold', 'warm', 'cold − warm', 'cold: outside the sweep', 'cold / warm'],
        rows,
      ),
    ].join('\n'),
    targets,
  };
}
