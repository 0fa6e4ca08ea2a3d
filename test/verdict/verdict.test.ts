import { describe, expect, it } from 'vitest';
import type { VerdictThresholds } from '../../lambda/ground/thresholds.js';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import type { Outcome } from '../../lambda/sweep/outcome.js';
import { compileExpectations, DEFAULT_EXPECTATIONS } from '../../lambda/verdict/expectations.js';
import { judge } from '../../lambda/verdict/verdict.js';

const THRESHOLDS: VerdictThresholds = { failedBelowPercent: 95 };

/** A sweep of ids 1.. in runs of one outcome each ('skip': not attempted), statuses in 50 ms. */
function sweepOf(parts: ReadonlyArray<readonly [count: number, outcome: Outcome | 'skip']>) {
  const total = parts.reduce((n, [count]) => n + count, 0);
  const tally = new Tally({ start: 1, end: total });
  let id = 1;
  for (const [count, outcome] of parts) {
    for (let i = 0; i < count; i++, id++) {
      if (outcome !== 'skip') tally.settle(id, outcome, outcome.kind === 'status' ? 50 : undefined);
    }
  }
  return summarize(tally, { startedAt: 0, endedAt: 1 });
}
const ok200: Outcome = { kind: 'status', status: 200 };
const notFound: Outcome = { kind: 'status', status: 404 };
const aborted: Outcome = { kind: 'error', error: 'aborted' };

describe('judge', () => {
  it.each([
    ['ok when every id was attempted and met its expectation', [[100, ok200]], 'ok'],
    [
      'degraded when 1 id in 100 did not (99 %)',
      [
        [99, ok200],
        [1, notFound],
      ],
      'degraded',
    ],
    [
      'degraded at exactly the threshold (95 %)',
      [
        [95, ok200],
        [5, notFound],
      ],
      'degraded',
    ],
    [
      'failed below the threshold (94 %)',
      [
        [94, ok200],
        [6, notFound],
      ],
      'failed',
    ],
    [
      'degraded when ids were not attempted, all attempted ones met',
      [
        [90, ok200],
        [10, 'skip'],
      ],
      'degraded',
    ],
    [
      'degraded when ids were aborted at the deadline',
      [
        [98, ok200],
        [2, aborted],
      ],
      'degraded',
    ],
    ['failed when nothing was attempted', [[100, 'skip']], 'failed'],
  ] as const)('is %s', (_, parts, verdict) => {
    expect(judge(sweepOf(parts), DEFAULT_EXPECTATIONS, THRESHOLDS).verdict).toBe(verdict);
  });

  it('judges the ids attempted: 90 met of 90 attempted is 100 %, degraded only by the 10 not attempted', () => {
    const result = judge(
      sweepOf([
        [90, ok200],
        [10, 'skip'],
      ]),
      DEFAULT_EXPECTATIONS,
      THRESHOLDS,
    );

    expect(result).toEqual({
      verdict: 'degraded',
      verdictReasons: ['10 ids were not attempted'],
      expected: 90,
      unexpected: 0,
      unexpectedIds: '',
      unexpectedReasons: { status: 0, content: 0, slow: 0, error: 0 },
      unexpectedSamples: {},
    });
  });

  it('names the failed shards of a distributed sweep among the reasons it is degraded', () => {
    const sweep = {
      ...sweepOf([
        [90, ok200],
        [10, 'skip'],
      ]),
      failedShards: [{ range: { start: 91, end: 100 }, ids: 10 }],
    };

    expect(judge(sweep, DEFAULT_EXPECTATIONS, THRESHOLDS)).toMatchObject({
      verdict: 'degraded',
      verdictReasons: [
        '10 ids were not attempted',
        '1 shard failed (their ids were not attempted)',
      ],
    });
  });

  it('says why, with the counts, when ids did not meet their expectation', () => {
    const result = judge(
      sweepOf([
        [94, ok200],
        [6, notFound],
      ]),
      DEFAULT_EXPECTATIONS,
      THRESHOLDS,
    );

    expect(result).toEqual({
      verdict: 'failed',
      verdictReasons: ['6 of 100 attempted ids did not meet their expectation (94 % met)'],
      expected: 94,
      unexpected: 6,
      unexpectedIds: '95-100',
      unexpectedReasons: { status: 6, content: 0, slow: 0, error: 0 },
      unexpectedSamples: { status: ['id 95: 404, expected 2xx, 3xx'] },
    });
  });

  it('turns the same sweep ok when its rules expect the 404s', () => {
    const rules = compileExpectations([
      { ids: '1-94', statuses: ['2xx'] },
      { ids: '95-', statuses: [404] },
    ]);

    const result = judge(
      sweepOf([
        [94, ok200],
        [6, notFound],
      ]),
      rules,
      THRESHOLDS,
    );

    expect(result).toMatchObject({ verdict: 'ok', expected: 100, unexpected: 0 });
  });

  it('is degraded when the p95 latency is above the bound, ok at or below it', () => {
    const sweep = sweepOf([[100, ok200]]);

    expect(judge(sweep, DEFAULT_EXPECTATIONS, { ...THRESHOLDS, maxP95Ms: 10 })).toMatchObject({
      verdict: 'degraded',
      verdictReasons: [expect.stringMatching(/^p95 latency 50(\.\d+)? ms is above 10 ms$/)],
    });
    expect(judge(sweep, DEFAULT_EXPECTATIONS, { ...THRESHOLDS, maxP95Ms: 60 }).verdict).toBe('ok');
  });

  it('follows a deployment threshold: 100 makes any unexpected id a failure, 0 never fails a sweep that attempted something', () => {
    const sweep = sweepOf([
      [99, ok200],
      [1, notFound],
    ]);
    const all = sweepOf([[100, notFound]]);

    expect(judge(sweep, DEFAULT_EXPECTATIONS, { failedBelowPercent: 100 }).verdict).toBe('failed');
    expect(judge(all, DEFAULT_EXPECTATIONS, { failedBelowPercent: 0 }).verdict).toBe('degraded');
  });
});
