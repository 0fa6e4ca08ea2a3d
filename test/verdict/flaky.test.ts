import { describe, expect, it } from 'vitest';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import type { Outcome } from '../../lambda/sweep/data.js';
import { mergeAggregates } from '../../lambda/sweep/merge.js';
import { DEFAULT_EXPECTATIONS } from '../../lambda/verdict/expectations.js';
import { confirmCandidates, confirmOutcomes } from '../../lambda/verdict/flaky.js';
import { judge } from '../../lambda/verdict/verdict.js';

const status = (s: number): Outcome => ({ kind: 'status', status: s });
const content: Outcome = { kind: 'check', check: 'content', status: 200 };

/** The aggregate of `range` with each listed id's outcome; unlisted ids are not attempted. */
function aggregateOf(start: number, end: number, outcomes: Record<number, Outcome>) {
  const tally = new Tally({ start, end });
  for (const [id, outcome] of Object.entries(outcomes)) tally.settle(Number(id), outcome);
  return summarize(tally, { startedAt: 0, endedAt: 1 });
}

describe('the confirmation pass, pure', () => {
  it('lists unexpected ids with an outcome, not those never attempted or aborted, up to the max', () => {
    const main = aggregateOf(1, 6, {
      1: status(200),
      2: status(500),
      3: { kind: 'error', error: 'aborted' },
      4: { kind: 'error', error: 'timeout' },
      6: status(404),
    });

    expect(confirmCandidates(main, DEFAULT_EXPECTATIONS, 10)).toEqual({
      ids: [2, 4, 6],
      more: false,
    });
    expect(confirmCandidates(main, DEFAULT_EXPECTATIONS, 2)).toEqual({ ids: [2, 4], more: true });
  });

  it('moves a flaky id to its confirming outcome, statuses and errors with it, a failed check under its status', () => {
    const main = aggregateOf(1, 5, {
      1: status(200),
      2: status(500),
      3: content,
      4: { kind: 'error', error: 'timeout' },
      5: status(503),
    });
    const again = aggregateOf(1, 5, {
      2: status(200),
      3: status(200),
      4: status(204),
      5: status(503),
    });

    const { aggregate, flaky } = confirmOutcomes(
      main,
      again,
      [2, 3, 4, 5],
      DEFAULT_EXPECTATIONS,
      (id) => (id === 3 ? 200 : undefined),
    );

    expect(flaky).toEqual([[2, 4]]);
    expect(aggregate.ids).toEqual({ '200': '1-3', '204': '4', '503': '5' });
    expect(aggregate.statuses).toEqual({ '200': 3, '204': 1, '503': 1 });
    expect(aggregate.errors.timeout).toBe(0);
    expect(aggregate.confirm).toEqual({ requested: 4, confirmed: 1, flakyIds: '2-4' });
    expect(judge(aggregate, DEFAULT_EXPECTATIONS, { failedBelowPercent: 0 })).toMatchObject({
      expected: 4,
      unexpected: 1,
      unexpectedIds: '5',
    });
  });

  it('counts an id the second pass never answered as neither flaky nor confirmed', () => {
    const main = aggregateOf(1, 2, { 1: status(500), 2: status(500) });
    const again = aggregateOf(1, 2, { 1: { kind: 'error', error: 'aborted' } });

    const { aggregate } = confirmOutcomes(
      main,
      again,
      [1, 2],
      DEFAULT_EXPECTATIONS,
      () => undefined,
    );

    expect(aggregate.confirm).toEqual({ requested: 2, confirmed: 0, flakyIds: '' });
    expect(aggregate.ids).toEqual({ '500': '1-2' });
  });

  it('merges the shards’ confirmation passes of a run: counts summed, flaky ids joined', () => {
    const shard = (start: number, end: number, flakyIds: string, skipped?: string) => ({
      ...aggregateOf(start, end, {}),
      confirm: { requested: 3, confirmed: 1, flakyIds, ...(skipped && { skipped }) },
    });

    const merged = mergeAggregates(shard(11, 20, '15-16', 'deadline: 1 ids'), shard(1, 10, '9-10'));

    expect(merged.confirm).toEqual({
      requested: 6,
      confirmed: 2,
      flakyIds: '9-10,15-16',
      skipped: 'deadline: 1 ids',
    });
  });
});
