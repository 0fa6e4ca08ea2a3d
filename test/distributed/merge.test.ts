import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planShards } from '../../lambda/distributed/shards.js';
import { mergeAggregates } from '../../lambda/sweep/merge.js';
import { formatSpans, parseSpans } from '../../lambda/sweep/range.js';
import { SpanJoin } from '../../lambda/sweep/span-join.js';
import { fragmentedShards } from '../support/fragmented.js';
import { aggregateOf, settledArb } from '../support/outcomes.js';

const CLOCK = { startedAt: 1_000, endedAt: 2_000 };

describe('SpanJoin', () => {
  it.each([
    [['1-5', '6-9'], '1-9'],
    [['1,3', '4,7'], '1,3-4,7'],
    [['1-2,4-5', '6', '7-8,10'], '1-2,4-8,10'],
    [['', '3', ''], '3'],
    [['1,3,5', '7,9'], '1,3,5,7,9'],
  ])('joins %j into "%s"', (forms, joined) => {
    const join = new SpanJoin();
    for (const form of forms) join.append(form);
    expect(join.toString()).toBe(joined);
  });

  it('joins any ascending cut of a set of ids into its compact form', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(500), { minLength: 1, maxLength: 200 }),
        fc.array(fc.nat(500)),
        (raw, cuts) => {
          const ids = [...raw].sort((a, b) => a - b);
          const compact = (some: number[]) => formatSpans(parseSpans(some.join(',')));
          const join = new SpanJoin();
          let from = 0;
          for (const cut of [...cuts.map((c) => c % (ids.length + 1))].sort((a, b) => a - b)) {
            join.append(compact(ids.slice(from, cut)));
            from = Math.max(from, cut);
          }
          join.append(compact(ids.slice(from)));
          expect(join.toString()).toBe(compact(ids));
        },
      ),
    );
  });

  it('refuses forms that do not ascend', () => {
    const join = new SpanJoin();
    join.append('5-9');
    expect(() => join.append('7')).toThrow(/ascend/);
  });
});

describe('mergeAggregates of many parts', () => {
  it('merges any number of shards, in any order, into exactly the aggregate of the whole', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000),
        fc.array(settledArb, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.infiniteStream(fc.nat()),
        (start, outcomes, size, order) => {
          const range = { start, end: start + outcomes.length - 1 };
          const shards = planShards(range, size).map((shard) =>
            aggregateOf(shard, outcomes.slice(shard.start - start, shard.end - start + 1), CLOCK),
          );
          const shuffled = shards
            .map((s) => ({ s, k: order.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map(({ s }) => s);
          expect(mergeAggregates(...shuffled)).toEqual(aggregateOf(range, outcomes, CLOCK));
        },
      ),
    );
  });

  it('merges 1,000,000 ids that alternate 200/404 from 100 shards in a few seconds', () => {
    const shards = fragmentedShards(1_000_000, 10_000);

    const started = performance.now();
    const merged = mergeAggregates(...shards);
    const ms = performance.now() - started;

    expect(merged.statuses).toEqual({ '200': 500_000, '404': 500_000 });
    expect(merged.ids['200']?.startsWith('1,3,5,')).toBe(true);
    expect(merged.ids['404']?.endsWith(',999998,1000000')).toBe(true);
    expect(merged.ids['200']?.split(',')).toHaveLength(500_000);
    // About a second on a loaded 2-core machine (the quadratic merge took 20 s); bound generous.
    expect(ms).toBeLessThan(5_000);
  }, 60_000);
});
