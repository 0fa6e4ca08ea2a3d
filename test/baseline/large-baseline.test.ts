import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderStore } from '../../dev/folder-store.js';
import { DiffTooSlowError, diffSweeps } from '../../lambda/baseline/diff.js';
import { defaultUnexpected } from '../../lambda/baseline/expected.js';
import { createBaselines } from '../../lambda/baseline/keep.js';
import type { BaselineStore } from '../../lambda/baseline/store.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { reduceShards } from '../../lambda/distributed/reduce.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { API_GATEWAY_TIMEOUT_MS } from '../../lambda/ground/deadline.js';
import { lambdaContext, postSweeps } from '../support/events.js';
import { behaviours, type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';
import { fragmentedShards } from '../support/fragmented.js';

const SCHEDULE = 'nightly';
const IDS = 1_000_000;

let dir: string;
let text: string;
let upstream: FaultUpstream;
beforeAll(async () => {
  // A schedule's baseline of 1,000,000 ids alternating 200/404: every id its own span.
  const reduced = reduceShards({ start: 1, end: IDS }, fragmentedShards(IDS, 10_000), {
    startedAt: 0,
    endedAt: 1,
  });
  text = JSON.stringify({
    sweepId: 'fragmented',
    range: reduced.range,
    complete: true,
    ids: reduced.ids,
    unexpectedIds: reduced.ids['404'],
  });
  dir = await mkdtemp(join(tmpdir(), 'large-baseline-'));
  await writeFile(join(dir, `${SCHEDULE}.json`), text);
  upstream = await startFaultUpstream(() => behaviours.ok());
}, 60_000);
afterAll(async () => {
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

const current = {
  range: { start: 1, end: 10_000 },
  ids: { '200': '1-10000' },
  unexpected: '',
};
const textStore = (): BaselineStore => ({
  read: async () => ({ text, version: 'v1' }),
  write: async () => 'written',
});

describe('comparing with a 1,000,000-id fragmented baseline', () => {
  it('compares a 10,000-id sweep in well under a second', async () => {
    const baselines = createBaselines(textStore(), () => undefined);

    const startedAt = performance.now();
    const comparison = await baselines.compare(
      current,
      SCHEDULE,
      Date.now() + 20_000,
      defaultUnexpected,
    );
    const elapsedMs = performance.now() - startedAt;

    expect(comparison.changes?.recovered).toEqual({ count: 5_000, ids: expect.any(String) });
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it('is not begun when the time left could not parse it, and says so', async () => {
    const baselines = createBaselines(textStore(), () => undefined);

    const comparison = await baselines.compare(
      current,
      SCHEDULE,
      Date.now() + 300,
      defaultUnexpected,
    );

    expect(comparison.changes).toBeNull();
    expect(comparison.report).toMatchObject({ read: 'skipped' });
    expect(comparison.report?.reason).toMatch(/too little time: \d+ ms left, ~\d+ ms needed/);
  });

  it('stops a diff that passes its deadline, rather than holding the answer', () => {
    const baseline = JSON.parse(text) as { ids: Record<string, string>; unexpectedIds: string };
    // All 200 but id 2: the diff walks every one of the 1,000,000 ids.
    const allButOne = { range: { start: 1, end: IDS }, ids: { '200': `1,3-${IDS}`, '404': '2' } };
    const before = {
      range: allButOne.range,
      ids: baseline.ids,
      unexpected: baseline.unexpectedIds,
    };

    const diff = () => diffSweeps({ ...allButOne, unexpected: '2' }, before, Date.now() - 1);

    expect(diff).toThrow(DiffTooSlowError);
    expect(diffSweeps({ ...allButOne, unexpected: '2' }, before).recovered.count).toBe(IDS / 2 - 1);
  });

  /** POST /sweeps of ids 1-10 compared with the baseline, as if API Gateway got it `msAgo`. */
  async function apiSweepReceived(msAgo: number) {
    const config = loadConfig({
      TARGET_URL_TEMPLATE: upstream.urlTemplate,
      TARGET_NAME: 'demo',
      METRICS_MODE: 'off',
      SCHEDULE_NAMES: SCHEDULE,
    });
    const h = createHandlers(config, { log: () => undefined, baselines: folderStore(dir) });
    const event = postSweeps({ start: 1, end: 10, compareWith: SCHEDULE });
    const timeEpoch = Date.now() - msAgo;
    event.requestContext = { ...event.requestContext, timeEpoch };
    const result = await h.http(event, lambdaContext());
    const answeredAt = Date.now();
    expect(answeredAt).toBeLessThanOrEqual(timeEpoch + API_GATEWAY_TIMEOUT_MS);
    return JSON.parse(String(result.body)) as SweepResponse;
  }

  it('answers an API sweep within 30 s of API Gateway receiving it, saying what it skipped', async () => {
    // Received 28.85 s ago: the sweep's own 28 s are over, and the comparison has ~300 ms.
    const response = await apiSweepReceived(28_850);

    expect(response.changes).toBeNull();
    expect(response.skipped?.changes).toMatch(/^nightly's baseline was not compared: .*ms left/);
  });

  it('compares an API sweep that has the time, within 30 s of API Gateway receiving it', async () => {
    // Received 26 s ago: 2 s left for the sweep, then about 2 s for the comparison.
    const response = await apiSweepReceived(26_000);

    expect(response.statuses).toEqual({ '200': 10 });
    expect(response.changes?.recovered.count).toBe(5);
    expect(response.skipped).toBeUndefined();
  });
});
