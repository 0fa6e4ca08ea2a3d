import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { mergeAggregates } from '../../lambda/sweep/merge.js';
import { settledArb, tallyOf } from '../support/outcomes.js';

const CLOCK = { startedAt: 1_000, endedAt: 2_000 };

describe('mergeAggregates', () => {
  it('merges any split of a range into exactly the aggregate of the whole', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000),
        fc.array(settledArb, { minLength: 2, maxLength: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (start, outcomes, at) => {
          const cut = 1 + Math.floor(at * (outcomes.length - 1));
          const whole = summarize(
            tallyOf({ start, end: start + outcomes.length - 1 }, outcomes),
            CLOCK,
          );
          const left = summarize(tallyOf({ start, end: start + cut - 1 }, outcomes.slice(0, cut)), {
            startedAt: 1_000,
            endedAt: 1_500,
          });
          const right = summarize(
            tallyOf({ start: start + cut, end: start + outcomes.length - 1 }, outcomes.slice(cut)),
            {
              startedAt: 1_200,
              endedAt: 2_000,
            },
          );
          expect(mergeAggregates(right, left)).toEqual(whole);
        },
      ),
    );
  });

  it('refuses ranges that are not adjacent', () => {
    const a = summarize(new Tally({ start: 1, end: 5 }), CLOCK);
    const b = summarize(new Tally({ start: 7, end: 9 }), CLOCK);
    expect(() => mergeAggregates(a, b)).toThrow(/adjacent/);
  });
});
