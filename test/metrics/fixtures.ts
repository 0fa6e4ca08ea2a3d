import { type Config, loadConfig } from '../../lambda/ground/config.js';
import { DEFAULT_VERDICT_FAILED_BELOW_PERCENT } from '../../lambda/ground/defaults.js';
import { type SweepAggregate, summarize, Tally } from '../../lambda/sweep/aggregate.js';
import type { Outcome } from '../../lambda/sweep/outcome.js';
import { DEFAULT_EXPECTATIONS } from '../../lambda/verdict/expectations.js';
import { judge, type SweepVerdict } from '../../lambda/verdict/verdict.js';

/** The sweep's end in the fixtures: 2023-11-14T22:13:20Z. */
export const ENDED_AT = 1_700_000_000_000;

export function configFor(
  mode: Config['metricsMode'],
  overrides: Record<string, string> = {},
): Config {
  return loadConfig({ METRICS_MODE: mode, TARGET_NAME: 'demo.test', ...overrides });
}

const ok = (status: number): Outcome => ({ kind: 'status', status });

/**
 * A known sweep of ids 1..12: six 200s, a 301, a 404, a 503, a timeout and two ids never
 * attempted; two retries; 1,234 ms long.
 */
export function knownSweep(): SweepAggregate {
  const tally = new Tally({ start: 1, end: 12 });
  const answered: Array<[number, number]> = [
    [200, 100],
    [200, 100],
    [200, 150],
    [200, 200],
    [200, 250],
    [200, 900],
    [301, 50],
    [404, 80],
    [503, 300],
  ];
  answered.forEach(([status, ms], i) => {
    tally.settle(i + 1, ok(status), ms);
  });
  tally.settle(10, { kind: 'error', error: 'timeout' });
  tally.attempts = 12;
  tally.retries = 2;
  return summarize(tally, { startedAt: ENDED_AT - 1_234, endedAt: ENDED_AT });
}

/** The known sweep's latencies, exact. */
export const KNOWN_LATENCIES = [50, 80, 100, 100, 150, 200, 250, 300, 900];

/**
 * A 10,000-id sweep with latencies spread log-uniformly from 1 ms to 30 s (so the histogram has
 * hundreds of buckets), 95% 200, 3% 404, 1% 503, 1% timeouts. Deterministic.
 */
export function largeSweep(): SweepAggregate {
  const random = mulberry32(42);
  const tally = new Tally({ start: 1, end: 10_000 });
  for (let id = 1; id <= 10_000; id++) {
    const r = random();
    const ms = Math.exp(random() * Math.log(30_000));
    if (r < 0.01) tally.settle(id, { kind: 'error', error: 'timeout' });
    else tally.settle(id, ok(r < 0.02 ? 503 : r < 0.05 ? 404 : 200), ms);
  }
  tally.attempts = 10_250;
  tally.retries = 250;
  return summarize(tally, { startedAt: ENDED_AT - 42_000, endedAt: ENDED_AT });
}

/** A small seeded PRNG, so that fixtures are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * An aggregate with its verdict under the default expectations (2xx or 3xx) and thresholds, as
 * arguments: `measure(...judged(knownSweep()))`.
 */
export function judged(aggregate: SweepAggregate): [SweepAggregate, SweepVerdict] {
  return [
    aggregate,
    judge(aggregate, DEFAULT_EXPECTATIONS, {
      failedBelowPercent: DEFAULT_VERDICT_FAILED_BELOW_PERCENT,
    }),
  ];
}
