import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { partitionsRange } from '../../lambda/sweep/range.js';
import { settledArb, tallyOf } from '../support/outcomes.js';

const CLOCK = { startedAt: 1_000, endedAt: 2_000 };

describe('summarize', () => {
  it('counts statuses, errors and ids never attempted, with their ids', () => {
    const tally = new Tally({ start: 1, end: 6 });
    tally.settle(1, { kind: 'status', status: 200 }, 10);
    tally.settle(2, { kind: 'status', status: 200 }, 20);
    tally.settle(3, { kind: 'status', status: 404 }, 30);
    tally.settle(4, { kind: 'error', error: 'timeout' });
    tally.settle(6, { kind: 'status', status: 200 }, 40);
    const aggregate = summarize(tally, CLOCK);
    expect(aggregate).toMatchObject({
      total: 6,
      complete: false,
      statuses: { '200': 3, '404': 1 },
      notAttempted: 1,
      ids: { '200': '1-2,6', '404': '3', timeout: '4', notAttempted: '5' },
    });
    expect(aggregate.errors.timeout).toBe(1);
    expect(aggregate.latency.count).toBe(4);
  });

  it('calls a sweep with an aborted id incomplete even when nothing is left unattempted', () => {
    const tally = new Tally({ start: 1, end: 1 });
    tally.settle(1, { kind: 'error', error: 'aborted' });
    expect(summarize(tally, CLOCK).complete).toBe(false);
  });

  it('refuses to settle an id twice', () => {
    const tally = new Tally({ start: 1, end: 1 });
    tally.settle(1, { kind: 'status', status: 200 });
    expect(() => tally.settle(1, { kind: 'status', status: 200 })).toThrow(/twice/);
  });

  it('accounts for every id exactly once, whatever the outcomes', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000),
        fc.array(settledArb, { minLength: 1, maxLength: 400 }),
        (start, outcomes) => {
          const aggregate = summarize(
            tallyOf({ start, end: start + outcomes.length - 1 }, outcomes),
            CLOCK,
          );
          const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
          expect(sum(aggregate.statuses) + sum(aggregate.errors) + aggregate.notAttempted).toBe(
            outcomes.length,
          );
          expect(partitionsRange(Object.values(aggregate.ids), aggregate.range)).toBe(true);
        },
      ),
    );
  });
});
