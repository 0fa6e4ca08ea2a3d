import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATES_MAX_PAYLOAD_BYTES } from '../../lambda/distributed/limits.js';
import {
  AGGREGATE_OVERHEAD_BYTES,
  type PlanInput,
  planRun,
  predictRunMs,
} from '../../lambda/distributed/plan.js';
import { MAX_SHARDS } from '../../lambda/ground/defaults.js';
import { InvalidRequestError } from '../../lambda/ground/errors.js';

/** The deployed defaults: 120 s function, 3 s margin, SHARD_SIZE 10,000, 10 shards at once. */
const DEFAULTS: PlanInput = {
  range: { start: 1, end: 1_000_000 },
  concurrency: 32,
  timeoutMs: 10_000,
  latencyMs: 400,
  invocationMs: 120_000,
  responseMarginMs: 3_000,
  maxShardSize: 10_000,
  shardMaxConcurrency: 10,
};

describe('planRun', () => {
  it('cuts 1,000,000 ids at the defaults into shards that finish within 117 s less one timeout', () => {
    const plan = planRun(DEFAULTS);

    // 10,000 ids at concurrency 32 and 0.4 s would need 125 s: shards are smaller.
    expect(plan.fillMs).toBe(107_000);
    expect(plan.shardSize).toBeLessThan(10_000);
    expect(plan.shardMs).toBeLessThanOrEqual(plan.fillMs);
    expect(plan.shards * plan.shardSize).toBeGreaterThanOrEqual(1_000_000);
    expect(plan).toMatchObject({ shards: 118, shardSize: 8_475, atOnce: 10 });
    expect(plan.runMs).toBe(12 * plan.shardMs);
  });

  it('gives the target the rate asked for in total, split between the shards that run at once', () => {
    const plan = planRun({ ...DEFAULTS, ratePerSecond: 100 });

    expect(plan.atOnce).toBe(10);
    expect(plan.shardRatePerSecond).toBe(10);
    // 10 requests per second for at most 107 s: 1,070 ids per shard, so 935 shards.
    expect(plan.shardSize).toBeLessThanOrEqual(1_070);
    expect(plan.shards).toBeLessThanOrEqual(MAX_SHARDS);
    expect((1000 * plan.shardSize) / 10).toBeLessThanOrEqual(plan.fillMs);
  });

  it('splits the rate by the shards there are when fewer than the map runs at once', () => {
    const plan = planRun({ ...DEFAULTS, range: { start: 1, end: 20_000 }, ratePerSecond: 1_000 });

    expect(plan.atOnce).toBe(plan.shards);
    expect((plan.shardRatePerSecond ?? 0) * plan.atOnce).toBeCloseTo(1_000);
  });

  it('answers a request that cannot finish with the arithmetic: ids, rate and the longest run', () => {
    const plan = () => planRun({ ...DEFAULTS, ratePerSecond: 1 });

    expect(plan).toThrow(InvalidRequestError);
    expect(plan).toThrow(
      '1000000 ids cannot finish at 1 requests per second: a run has at most 1000 shards, 10 at once, each sweeping within 107 s, so at most 10000 ids (10 per shard) in a run of at most 10700 s',
    );
  });

  it('refuses a range that needs more shards than States.ArrayRange lists', () => {
    expect(() => planRun({ ...DEFAULTS, concurrency: 1 })).toThrow(
      /1000000 ids cannot finish at concurrency 1 at 0.4 s per request: .* at most 267000 ids/,
    );
  });

  it("keeps a shard's aggregate under the Step Functions payload limit even if every id is its own span", () => {
    const plan = planRun({
      ...DEFAULTS,
      range: { start: 9_000_000, end: 9_999_999 },
      concurrency: 1_000,
      latencyMs: 1,
      maxShardSize: 1_000_000,
    });

    expect(plan.shardSize * '9999999,'.length).toBeLessThanOrEqual(
      STATES_MAX_PAYLOAD_BYTES - AGGREGATE_OVERHEAD_BYTES,
    );
  });

  it("refuses a rate whose share per shard would fall under the engine's floor of 0.01", () => {
    // A 15-minute function fits one id at 0.005 per second in a shard: the plan alone would pass.
    const plan = () =>
      planRun({
        ...DEFAULTS,
        range: { start: 1, end: 20 },
        maxShardSize: 1,
        invocationMs: 900_000,
        ratePerSecond: 0.05,
      });

    expect(plan).toThrow(InvalidRequestError);
    expect(plan).toThrow(
      'invalid request: ratePerSecond must be at least 0.1 for a run of 10 shards at once (0.01 each), got 0.05',
    );
  });

  it('either fits every shard in its invocation within every limit, or refuses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 1, max: 256 }),
        fc.integer({ min: 100, max: 30_000 }),
        fc.option(fc.double({ min: 0.5, max: 10_000, noNaN: true })),
        fc.integer({ min: 1, max: 50 }),
        (ids, concurrency, timeoutMs, rate, shardMaxConcurrency) => {
          const input: PlanInput = {
            ...DEFAULTS,
            range: { start: 1, end: ids },
            concurrency,
            timeoutMs,
            shardMaxConcurrency,
            ...(rate !== null && { ratePerSecond: rate }),
          };
          let plan: ReturnType<typeof planRun>;
          try {
            plan = planRun(input);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidRequestError);
            return;
          }
          expect(plan.shards).toBeLessThanOrEqual(MAX_SHARDS);
          expect(plan.shards * plan.shardSize).toBeGreaterThanOrEqual(ids);
          expect(plan.shardSize).toBeLessThanOrEqual(input.maxShardSize);
          expect(plan.shardMs).toBeLessThanOrEqual(plan.fillMs);
          expect(plan.atOnce).toBe(Math.min(plan.shards, shardMaxConcurrency));
          if (rate !== null) expect((plan.shardRatePerSecond ?? 0) * plan.atOnce).toBeCloseTo(rate);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('predictRunMs', () => {
  it('predicts waves of shards at the latency measured rather than the one planned for', () => {
    const plan = planRun({ ...DEFAULTS, range: { start: 1, end: 200_000 } });

    // 24 shards of 8,334 ids, 10 at once: 3 waves of ceil(8,334 / 32) = 261 rounds of 20 ms.
    expect(plan).toMatchObject({ shards: 24, shardSize: 8_334, atOnce: 10 });
    expect(predictRunMs(plan, 32, 20)).toBe(3 * 261 * 20);
  });
});
