import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  failuresIn,
  parseRecent,
  type RecentSweep,
  type RecentSweeps,
  withSweep,
} from '../../lambda/baseline/recent.js';
import type { SweepHandlers } from '../../lambda/entry/handler.js';
import { MetricName } from '../../lambda/metrics/names.js';
import {
  type CloudWatchEndpoint,
  startCloudWatchEndpoint,
} from '../support/cloudwatch-endpoint.js';
import { lambdaContext, scheduleEvent } from '../support/events.js';
import { behaviours, type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';
import { stubLoopbackAws } from '../support/loopback-aws.js';
import { type S3Endpoint, startS3Endpoint } from '../support/s3-endpoint.js';
import { swept } from '../support/sweep-handler.js';

const BUCKET = 'status-sweep-results';
const SCHEDULE = 'nightly';
const RECENT_KEY = `${BUCKET}/baselines/recent/${SCHEDULE}.json`;

const sweep = (k: number, failed: boolean): RecentSweep => ({
  sweepId: `s${k}`,
  endedAt: new Date(Date.UTC(2026, 0, 1, k)).toISOString(),
  failed,
});

describe('recent verdicts, pure', () => {
  it('keeps the latest sweeps and counts the failures among the last `of`', () => {
    let sweeps: RecentSweep[] = [];
    for (const [k, failed] of [true, false, true, true, false].entries()) {
      sweeps = withSweep(sweeps, sweep(k, failed), 3);
    }
    expect(sweeps.map((s) => s.sweepId)).toEqual(['s2', 's3', 's4']);
    expect(failuresIn(sweeps, 3)).toBe(2);
    expect(failuresIn(sweeps, 1)).toBe(0);
  });

  it('counts a sweep recorded twice (a retried reduce step) once', () => {
    const once = withSweep([sweep(1, true)], sweep(2, true), 10);
    expect(withSweep(once, sweep(2, true), 10)).toEqual(once);
    expect(failuresIn(withSweep(once, sweep(2, true), 10), 3)).toBe(2);
  });

  it('refuses a document that is not a version 1 list of sweeps', () => {
    expect(() => parseRecent('{')).toThrow(/not valid JSON/);
    expect(() => parseRecent('{"version":2,"sweeps":[]}')).toThrow(/version 1/);
    expect(() => parseRecent('{"version":1,"sweeps":[{"sweepId":1}]}')).toThrow(/version 1/);
    expect(parseRecent('{"version":1,"sweeps":[]}')).toEqual([]);
  });
});

describe("a schedule's recent verdicts, kept in the results bucket (real SDK, loopback S3 and CloudWatch)", () => {
  let s3: S3Endpoint;
  let cloudWatch: CloudWatchEndpoint;
  let upstream: FaultUpstream;
  let failing = false;
  let logs: Array<Record<string, unknown>>;
  let handlers: SweepHandlers;

  beforeAll(async () => {
    s3 = await startS3Endpoint();
    cloudWatch = await startCloudWatchEndpoint();
    upstream = await startFaultUpstream(() =>
      failing ? { type: 'status', status: 500 } : behaviours.ok(),
    );
    stubLoopbackAws('S3', s3.url);
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH', cloudWatch.url);
    const { createHandlers } = await import('../../lambda/entry/handler.js');
    const { loadConfig } = await import('../../lambda/ground/config.js');
    const config = loadConfig({
      TARGET_URL_TEMPLATE: upstream.urlTemplate,
      TARGET_NAME: 'demo',
      METRICS_MODE: 'cloudwatch',
      RESULTS_BUCKET: BUCKET,
      SCHEDULE_NAMES: SCHEDULE,
    });
    handlers = createHandlers(config, { log: (line) => logs.push(line) });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([s3.close(), cloudWatch.close(), upstream.close()]);
  });
  beforeEach(() => {
    logs = [];
    s3.objects.clear();
    cloudWatch.requests.length = 0;
  });
  afterEach(() => {
    s3.stalls.clear();
  });

  /** One scheduled sweep, failed or not; the RecentFailures it published and its summary line. */
  const scheduled = async (failed: boolean, extra: Record<string, unknown> = {}) => {
    failing = failed;
    cloudWatch.requests.length = 0;
    logs = [];
    const event = { start: 1, end: 20, schedule: SCHEDULE, confirm: false, retries: 0, ...extra };
    const response = swept(await handlers.invoke(scheduleEvent(event), lambdaContext()));
    const datums = cloudWatch.requests.flatMap((r) => r.metricData);
    const recentFailures = datums
      .filter((d) => d.MetricName === MetricName.recentFailures)
      .map((d) => ({ value: d.Value, dimensions: d.Dimensions?.map((x) => x.Name) }));
    const summary = logs.find((line) => line.message === 'sweep finished');
    return { response, recentFailures, summary };
  };

  it('alarms after 2 of 3: publishes the failures among the last three sweeps, recorded beside the baseline', async () => {
    const twoOfThree = { alarmAfter: { sweeps: 2, of: 3 } };
    const seen: number[] = [];
    for (const failed of [true, false, true, false, false]) {
      const { response, recentFailures } = await scheduled(failed, twoOfThree);
      expect(response.verdict).toBe(failed ? 'failed' : 'ok');
      // One datum, per schedule only.
      expect(recentFailures).toHaveLength(1);
      expect(recentFailures[0]?.dimensions).toEqual(['Target', 'Schedule']);
      seen.push(recentFailures[0]?.value ?? -1);
    }
    expect(seen).toEqual([1, 1, 2, 1, 1]);
    const stored = JSON.parse(s3.objects.get(RECENT_KEY) ?? '{}') as RecentSweeps;
    expect(stored.sweeps.map((s) => s.failed)).toEqual([true, false, true, false, false]);
  });

  it('says how it counted in the summary line, and keeps no memory for 1 of 1', async () => {
    const { summary } = await scheduled(true, { alarmAfter: { sweeps: 2, of: 3 } });
    expect(summary?.recent).toEqual({ failures: 1, of: 3, read: 'none', write: 'written' });

    s3.objects.clear();
    const single = await scheduled(true);
    expect(single.recentFailures.map((d) => d.value)).toEqual([1]);
    expect(single.summary?.recent).toBeUndefined();
    expect(s3.objects.has(RECENT_KEY)).toBe(false);
  });

  it('replaces recent verdicts that are not valid, with a WARN, and counts this sweep alone', async () => {
    s3.objects.set(RECENT_KEY, 'not json');
    const { recentFailures, summary } = await scheduled(true, { alarmAfter: { sweeps: 2, of: 3 } });
    expect(recentFailures.map((d) => d.value)).toEqual([1]);
    expect(summary?.recent).toMatchObject({ read: 'invalid', write: 'written' });
    expect(logs.some((l) => l.message === 'recent verdicts replaced: not valid')).toBe(true);
    expect(parseRecent(s3.objects.get(RECENT_KEY) ?? '')).toHaveLength(1);
  });

  it('counts this sweep alone and overwrites nothing when the read does not answer in time', async () => {
    const before: RecentSweeps = { version: 1, sweeps: [sweep(1, true)] };
    s3.objects.set(RECENT_KEY, JSON.stringify(before));
    s3.stalls.add(RECENT_KEY);
    const started = Date.now();
    const { response, recentFailures, summary } = await scheduled(false, {
      alarmAfter: { sweeps: 2, of: 3 },
      timeBudgetMs: 4_000,
    });
    expect(response.verdict).toBe('ok');
    expect(recentFailures.map((d) => d.value)).toEqual([0]);
    expect(summary?.recent).toMatchObject({ read: 'failed', write: 'skipped' });
    expect(JSON.parse(s3.objects.get(RECENT_KEY) ?? '')).toEqual(before);
    // Bounded like the baseline read (MAX_BASELINE_MS), well inside the invocation.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
