import { describe, expect, it } from 'vitest';
import { withMetrics } from '../../lambda/conclude/to-response.js';
import type { UnpublishedResponse } from '../../lambda/contract/response.js';
import type { MetricsReport } from '../../lambda/metrics/report.js';

const metrics: MetricsReport = { status: 'off', requests: 0, datums: 0 };

describe('a response given its metrics report', () => {
  it('has the report after endedAt, before changes and the fields present only sometimes', () => {
    const unpublished = {
      sweepId: 's',
      endedAt: '2026-12-03T00:00:00.000Z',
      changes: null,
      failedShards: [{ range: { start: 1, end: 10 }, ids: 10 }],
      skipped: { changes: 'no baseline yet' },
      muted: true,
    } as unknown as UnpublishedResponse;

    const response = withMetrics(unpublished, metrics);

    expect(Object.keys(response)).toEqual([
      'sweepId',
      'endedAt',
      'metrics',
      'changes',
      'failedShards',
      'skipped',
      'muted',
    ]);
    expect(response.metrics).toBe(metrics);
  });

  it('leaves out what the unpublished response left out', () => {
    const unpublished = {
      sweepId: 's',
      endedAt: '2026-12-03T00:00:00.000Z',
      changes: null,
    } as unknown as UnpublishedResponse;

    expect(Object.keys(withMetrics(unpublished, metrics))).toEqual([
      'sweepId',
      'endedAt',
      'metrics',
      'changes',
    ]);
  });
});
