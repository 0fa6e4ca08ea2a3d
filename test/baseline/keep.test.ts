import { describe, expect, it } from 'vitest';
import { defaultUnexpected } from '../../lambda/baseline/expected.js';
import {
  createBaselines,
  MAX_BASELINE_MS,
  MIN_BASELINE_BUDGET_MS,
} from '../../lambda/baseline/keep.js';
import type { BaselineStore } from '../../lambda/baseline/store.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import type { LogLine } from '../../lambda/ground/log.js';

const current = { range: { start: 1, end: 3 }, ids: { '200': '1-3' }, unexpected: [] };
const response = { sweepId: 'now', complete: true } as SweepResponse;

/** A store whose calls never settle: an S3 that stopped answering. */
const hanging: BaselineStore = {
  read: () => new Promise(() => undefined),
  write: () => new Promise(() => undefined),
};

describe('reading and keeping baselines', () => {
  it('gives up on a store that does not answer by the deadline, and says so', async () => {
    const logs: LogLine[] = [];
    const baselines = createBaselines(hanging, (line) => logs.push(line));
    const startedAt = Date.now();

    const comparison = await baselines.compare(
      current,
      'nightly',
      startedAt + 400,
      defaultUnexpected,
    );

    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(comparison.changes).toBeNull();
    expect(comparison.report).toMatchObject({ schedule: 'nightly', read: 'failed' });
    expect(logs[0]).toMatchObject({ level: 'WARN', message: 'baseline not read' });
  });

  it('gives up on a store that does not answer within MAX_BASELINE_MS, however far the deadline', async () => {
    const baselines = createBaselines(hanging, () => undefined);
    const startedAt = Date.now();

    const comparison = await baselines.compare(
      current,
      'nightly',
      startedAt + 60_000,
      defaultUnexpected,
    );

    expect(Date.now() - startedAt).toBeLessThan(MAX_BASELINE_MS + 3_000);
    expect(comparison.report).toMatchObject({ schedule: 'nightly', read: 'failed' });
  }, 20_000);

  it('does not try with less than the minimum budget left', async () => {
    const baselines = createBaselines(hanging, () => undefined);

    const comparison = await baselines.compare(
      current,
      'nightly',
      Date.now() + MIN_BASELINE_BUDGET_MS / 2,
      defaultUnexpected,
    );

    expect(comparison.report).toMatchObject({ read: 'skipped' });
  });

  it('replaces a baseline that is not a sweep response, on the version it read', async () => {
    const writes: Array<string | undefined> = [];
    const store: BaselineStore = {
      read: async () => ({ text: '{"hello":"world"}', version: 'v1' }),
      write: async (_schedule, _response, version) => {
        writes.push(version);
        return 'written';
      },
    };
    const baselines = createBaselines(store, () => undefined);
    const by = Date.now() + 5_000;

    const comparison = await baselines.compare(current, 'nightly', by, defaultUnexpected);
    const report = await baselines.keep('nightly', response, comparison, by);

    expect(comparison.changes).toBeNull();
    expect(report).toMatchObject({ read: 'invalid', write: 'written' });
    expect(report.reason).toMatch(/sweepId/);
    expect(writes).toEqual(['v1']);
  });

  it('lets an incomplete sweep replace an incomplete baseline', async () => {
    const baseline = { ...current, sweepId: 'b', complete: false, ids: { notAttempted: '1-3' } };
    let written = false;
    const store: BaselineStore = {
      read: async () => ({ text: JSON.stringify(baseline), version: 'v1' }),
      write: async () => {
        written = true;
        return 'written';
      },
    };
    const baselines = createBaselines(store, () => undefined);
    const by = Date.now() + 5_000;

    const comparison = await baselines.compare(current, 'nightly', by, defaultUnexpected);
    await baselines.keep('nightly', { ...response, complete: false }, comparison, by);

    expect(comparison.changes?.notCompared.count).toBe(3);
    expect(written).toBe(true);
  });
});
