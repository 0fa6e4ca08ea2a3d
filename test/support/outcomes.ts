/** Random outcomes for property tests of the aggregate, its merge and the distributed reduce. */
import fc from 'fast-check';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { ERROR_KINDS, type Outcome } from '../../lambda/sweep/outcome.js';
import type { IdRange } from '../../lambda/sweep/range.js';

/** How one id ended, or null for an id never attempted. */
export type Settled = { readonly outcome: Outcome; readonly latencyMs: number } | null;

/** Any status class, every error kind, and now and then an id never attempted. */
export const settledArb: fc.Arbitrary<Settled> = fc.option(
  fc.record({
    outcome: fc.oneof(
      fc
        .constantFrom(200, 301, 404, 429, 500, 503)
        .map((status): Outcome => ({ kind: 'status', status })),
      fc.constantFrom(...ERROR_KINDS).map((error): Outcome => ({ kind: 'error', error })),
    ),
    latencyMs: fc.double({ min: 0, max: 10_000, noNaN: true }),
  }),
  { freq: 8 },
);

/** A tally of `range` where id range.start + i ended as outcomes[i], after two attempts each. */
export function tallyOf(range: IdRange, outcomes: readonly Settled[]): Tally {
  const tally = new Tally(range);
  for (let id = range.start; id <= range.end; id++) {
    const o = outcomes[id - range.start];
    if (!o) continue;
    tally.attempts += 2;
    tally.retries += 1;
    tally.settle(id, o.outcome, o.latencyMs);
  }
  return tally;
}

/** The aggregate of such a tally, with the given clock. */
export function aggregateOf(
  range: IdRange,
  outcomes: readonly Settled[],
  clock: { readonly startedAt: number; readonly endedAt: number },
) {
  return summarize(tallyOf(range, outcomes), clock);
}
