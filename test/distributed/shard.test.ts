import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../lambda/ground/errors.js';
import { partitionsRange } from '../../lambda/sweep/range.js';
import { lambdaContext } from '../support/events.js';
import { type HandlerUnderTest, handlerOnLoopback } from '../support/sweep-handler.js';

/** A Distributed Map item as the state machine's ItemSelector builds it. */
const shardEvent = (shardStart: number, overrides: Record<string, unknown> = {}) => ({
  kind: 'shard',
  sweepId: '0b7e2c3e-4f0a-4c1e-9a53-8d2f1e6b7a90',
  shardStart,
  shardSize: 600,
  rangeEnd: 1_500,
  options: { concurrency: 16, timeoutMs: 5_000, retries: 1 },
  ...overrides,
});

describe('a shard of a distributed sweep', () => {
  let sut: HandlerUnderTest;
  beforeAll(async () => {
    sut = await handlerOnLoopback({ MAX_IDS: '1000' });
  });
  afterAll(() => sut.close());

  it('sweeps its ids and returns the raw aggregate for the reduce step', async () => {
    const aggregate = await sut.shard(shardEvent(601), lambdaContext());
    expect(aggregate.range).toEqual({ start: 601, end: 1_200 });
    // The demo upstream knows ids up to 1025.
    expect(aggregate.statuses).toEqual({ '200': 425, '404': 175 });
    expect(aggregate.ids).toEqual({ '200': '601-1025', '404': '1026-1200' });
    expect(aggregate.latency.count).toBe(600);
    expect(partitionsRange(Object.values(aggregate.ids), aggregate.range)).toBe(true);
    expect(sut.logs.at(-1)).toContain('"message":"shard finished"');
  });

  it('ends the last shard at the end of the range', async () => {
    const aggregate = await sut.shard(shardEvent(1_201), lambdaContext());
    expect(aggregate.range).toEqual({ start: 1_201, end: 1_500 });
  });

  it.each([
    [{ shardSize: 0 }],
    [{ options: { concurrency: 0, timeoutMs: 1, retries: 0 } }],
    [{ sweepId: '' }],
    [{ extra: true }],
  ])('throws a named error for a malformed shard event %o', async (override) => {
    await expect(sut.shard(shardEvent(1, override), lambdaContext())).rejects.toThrow(
      InvalidEventError,
    );
  });
});
