import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reduceShards } from '../../lambda/distributed/reduce.js';
import { planShards, shardCount } from '../../lambda/distributed/shards.js';
import { MAX_SHARDS } from '../../lambda/ground/defaults.js';
import { measure } from '../../lambda/metrics/measurements.js';
import type { Outcome } from '../../lambda/sweep/outcome.js';
import { type IdRange, partitionsRange, rangeSize } from '../../lambda/sweep/range.js';
import { judged } from '../metrics/fixtures.js';
import { aggregateOf, type Settled, settledArb } from '../support/outcomes.js';

const CLOCK = { startedAt: 10_000, endedAt: 20_000 };

/** One sweep's aggregate of `range`, clocked inside the run's. */
const sweepOf = (range: IdRange, outcomes: readonly Settled[]) =>
  aggregateOf(range, outcomes, {
    startedAt: CLOCK.startedAt + range.start,
    endedAt: CLOCK.endedAt - 1,
  });

describe('planShards', () => {
  it.each([
    [
      { start: 1, end: 10 },
      4,
      [
        { start: 1, end: 4 },
        { start: 5, end: 8 },
        { start: 9, end: 10 },
      ],
    ],
    [{ start: 0, end: 2 }, 10, [{ start: 0, end: 2 }]],
    [{ start: 5, end: 5 }, 1, [{ start: 5, end: 5 }]],
  ])('splits %j by %i into %j', (range, size, shards) => {
    expect(planShards(range, size)).toEqual(shards);
    expect(shardCount(range, size)).toBe(shards.length);
  });

  it('covers any range exactly', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        (start, n, size) => {
          const range = { start, end: start + n - 1 };
          const shards = planShards(range, size);
          expect(shards.reduce((sum, s) => sum + rangeSize(s), 0)).toBe(n);
          expect(shards.every((s, i) => i === 0 || s.start === (shards[i - 1]?.end ?? 0) + 1)).toBe(
            true,
          );
        },
      ),
    );
  });

  it('lets a 1,000,000-id range fit the Distributed Map shard limit at the default shard size', () => {
    expect(shardCount({ start: 1, end: 1_000_000 }, 10_000)).toBeLessThanOrEqual(MAX_SHARDS);
  });
});

describe('reduceShards', () => {
  it('merges any split, in any order, into exactly one sweep of the whole range', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.array(settledArb, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 80 }),
        fc.infiniteStream(fc.nat()),
        (start, outcomes, size, order) => {
          const range = { start, end: start + outcomes.length - 1 };
          const whole = { ...sweepOf(range, outcomes), ...CLOCK };
          const shards = planShards(range, size).map((shard) =>
            sweepOf(shard, outcomes.slice(shard.start - start, shard.end - start + 1)),
          );
          const shuffled = shards
            .map((s) => ({ s, k: order.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map(({ s }) => s);
          expect(reduceShards(range, shuffled, CLOCK, size)).toEqual({
            ...whole,
            failedShards: [],
          });
        },
      ),
    );
  });

  it('counts the ids of shards that never reported as not attempted, and names each shard', () => {
    const range = { start: 1, end: 40 };
    const ok = (r: IdRange) =>
      sweepOf(
        r,
        Array.from({ length: rangeSize(r) }, () => ({
          outcome: { kind: 'status', status: 200 } as Outcome,
          latencyMs: 5,
        })),
      );
    const reduced = reduceShards(
      range,
      [ok({ start: 1, end: 10 }), ok({ start: 31, end: 40 })],
      CLOCK,
      10,
    );
    expect(reduced.ids).toEqual({ '200': '1-10,31-40', notAttempted: '11-30' });
    expect(reduced.notAttempted).toBe(20);
    expect(reduced.failedShards).toEqual([
      { range: { start: 11, end: 20 }, ids: 10 },
      { range: { start: 21, end: 30 }, ids: 10 },
    ]);
    expect(measure(...judged(reduced))).toContainEqual({
      name: 'FailedShards',
      unit: 'Count',
      value: 2,
    });
    expect(reduced.complete).toBe(false);
    expect(partitionsRange(Object.values(reduced.ids), range)).toBe(true);
  });

  it('names each gap as one failed part when the shard size is not known', () => {
    const reduced = reduceShards(
      { start: 1, end: 30 },
      [sweepOf({ start: 11, end: 20 }, [])],
      CLOCK,
    );
    expect(reduced.failedShards).toEqual([
      { range: { start: 1, end: 10 }, ids: 10 },
      { range: { start: 21, end: 30 }, ids: 10 },
    ]);
  });

  it('refuses overlapping shards', () => {
    const a = sweepOf({ start: 1, end: 10 }, []);
    const b = sweepOf({ start: 5, end: 15 }, []);
    expect(() => reduceShards({ start: 1, end: 15 }, [a, b], CLOCK)).toThrow(/overlaps/);
  });
});
