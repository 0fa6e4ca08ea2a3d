import 'aws-sdk-client-mock-vitest/extend';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../lambda/ground/log.js';
import { deliveryOf, sendBatches } from '../../lambda/metrics/cloudwatch.js';
import { MetricName, PER_SCHEDULE_METRICS } from '../../lambda/metrics/names.js';
import { publishMetrics } from '../../lambda/metrics/publish.js';
import { MIN_SEND_BUDGET_MS } from '../../lambda/metrics/send.js';
import { datumTotals, emfTotals, parseEmf, rounded } from './emf-check.js';
import { configFor, ENDED_AT, judged, knownSweep } from './fixtures.js';

const cloudWatch = mockClient(CloudWatchClient);
const later = () => Date.now() + 20_000;

/** Captures what publishMetrics writes to stdout (EMF) and stderr (the local summary). */
function captureOutput(): { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  return { stdout: () => out.join(''), stderr: () => err.join('') };
}

beforeEach(() => {
  cloudWatch.reset();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('publishMetrics in cloudwatch mode', () => {
  it('publishes every metric of a known sweep in one request under the configured namespace', async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});
    const output = captureOutput();

    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('cloudwatch'),
      deadline: later(),
    });

    expect(report).toEqual({ status: 'published', requests: 1, datums: 19 });
    expect(cloudWatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(cloudWatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'StatusSweep',
      MetricData: expect.arrayContaining([
        expect.objectContaining({
          MetricName: 'SuccessRate',
          Unit: 'Percent',
          Value: 70,
          Timestamp: new Date(ENDED_AT),
          Dimensions: [{ Name: 'Target', Value: 'demo.test' }],
          StorageResolution: 60,
        }),
        expect.objectContaining({ MetricName: 'RequestLatency', Unit: 'Milliseconds' }),
      ]),
    });
    expect(output.stdout()).toBe('');
  });

  it('uses the configured namespace and a 1-second storage resolution', async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});
    const config = configFor('cloudwatch', {
      METRICS_NAMESPACE: 'Team/Sweeps',
      METRICS_STORAGE_RESOLUTION: '1',
    });

    await publishMetrics(...judged(knownSweep()), { config, deadline: later() });

    const input = cloudWatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
    expect(input?.Namespace).toBe('Team/Sweeps');
    expect(input?.MetricData?.every((d) => d.StorageResolution === 1)).toBe(true);
  });

  it('also publishes the per-schedule metrics with {Target, Schedule} for a scheduled sweep, in the same request', async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});

    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('cloudwatch'),
      deadline: later(),
      schedule: { name: 'kanto', recentFailures: 2 },
    });

    const data = cloudWatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input.MetricData ?? [];
    const perSchedule = data.filter((d) => d.Dimensions?.length === 2);
    // No baseline, no mute windows: neither NewlyUnexpected nor Muted.
    expect(perSchedule.map((d) => d.MetricName).sort()).toEqual(
      PER_SCHEDULE_METRICS.filter(
        (name) => name !== MetricName.newlyUnexpected && name !== MetricName.muted,
      ).sort(),
    );
    for (const datum of perSchedule) {
      expect(datum.Dimensions).toEqual([
        { Name: 'Target', Value: 'demo.test' },
        { Name: 'Schedule', Value: 'kanto' },
      ]);
    }
    expect(perSchedule.find((d) => d.MetricName === 'RecentFailures')?.Value).toBe(2);
    expect(perSchedule.find((d) => d.MetricName === 'Sweeps')?.Value).toBe(1);
    // Said of a schedule only: never per target.
    expect(data.filter((d) => d.MetricName === 'RecentFailures')).toHaveLength(1);
    expect(report).toEqual({ status: 'published', requests: 1, datums: 19 + perSchedule.length });
  });

  it('tells the truth of a muted sweep, and says Muted 1 for a schedule with mute windows (0 outside them)', async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});
    const publishFor = (muted: boolean) =>
      publishMetrics(...judged(knownSweep()), {
        config: configFor('cloudwatch'),
        deadline: later(),
        schedule: { name: 'kanto', recentFailures: 1, muted },
        changes: { newlyUnexpected: { count: 3 }, recovered: { count: 0 } },
      });

    await publishFor(true);
    await publishFor(false);

    const [inside, outside] = cloudWatch
      .commandCalls(PutMetricDataCommand)
      .map((call) =>
        (call.args[0].input.MetricData ?? []).filter((d) => d.Dimensions?.length === 2),
      );
    const value = (data: typeof inside, name: string) =>
      data?.find((d) => d.MetricName === name)?.Value;
    expect(value(inside, MetricName.muted)).toBe(1);
    expect(value(outside, MetricName.muted)).toBe(0);
    // The alarms' states say what happened; the Muted alarm only suppresses their actions.
    expect(value(inside, MetricName.recentFailures)).toBe(1);
    expect(value(inside, MetricName.newlyUnexpected)).toBe(3);
  });

  it('publishes no per-schedule metric for a sweep no schedule started', async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});

    await publishMetrics(...judged(knownSweep()), {
      config: configFor('cloudwatch'),
      deadline: later(),
    });

    const data = cloudWatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input.MetricData ?? [];
    expect(data.every((d) => d.Dimensions?.length === 1)).toBe(true);
  });

  it('keeps the Schedule dimension on the per-schedule metrics when they fall back to EMF', async () => {
    // Refused with an answer: certainly not stored, so everything goes to EMF.
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $metadata: { httpStatusCode: 400, attempts: 3 },
    });
    cloudWatch.on(PutMetricDataCommand).rejects(throttled);
    const output = captureOutput();

    await publishMetrics(...judged(knownSweep()), {
      config: configFor('cloudwatch'),
      deadline: later(),
      log: () => undefined,
      schedule: { name: 'kanto', recentFailures: 0 },
    });

    const docs = parseEmf(output.stdout());
    const scheduled = docs.filter((d) => d.Schedule === 'kanto');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Target', 'Schedule']]);
    expect(scheduled[0]).toMatchObject({ Target: 'demo.test', Sweeps: 1 });
    // Only what a schedule's alarms and widgets read goes out per schedule.
    expect(scheduled[0]).not.toHaveProperty('Unexpected');
    expect(docs.filter((d) => d.Schedule === undefined)).toHaveLength(1);
  });

  it('falls back to EMF on stdout with the same totals when PutMetricData fails, and logs the cause', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $metadata: { httpStatusCode: 400, attempts: 3 },
    });
    cloudWatch.on(PutMetricDataCommand).rejects(throttled);
    const output = captureOutput();
    const logs: LogLine[] = [];

    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('cloudwatch'),
      deadline: later(),
      log: (line) => logs.push(line),
    });

    expect(report).toEqual({
      status: 'fallback',
      requests: 0,
      datums: 19,
      reason: 'PutMetricData failed after 3 attempts: Throttling: Rate exceeded',
    });
    const sent = cloudWatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input.MetricData ?? [];
    expect(rounded(emfTotals(parseEmf(output.stdout())))).toEqual(rounded(datumTotals(sent)));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: 'WARN',
      cause: { name: 'Throttling', message: 'Rate exceeded', httpStatusCode: 400, attempts: 3 },
    });
  });

  it('goes straight to EMF without calling CloudWatch when too little time is left', async () => {
    const output = captureOutput();

    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('cloudwatch'),
      deadline: Date.now() + MIN_SEND_BUDGET_MS / 2,
      log: () => undefined,
    });

    expect(report.status).toBe('fallback');
    expect(report.reason).toMatch(/ms left for PutMetricData, 300 ms needed$/);
    expect(cloudWatch).not.toHaveReceivedCommand(PutMetricDataCommand);
    expect(parseEmf(output.stdout())).toHaveLength(1);
  });

  it('never throws, even on an aggregate it cannot read', async () => {
    const logs: LogLine[] = [];
    const broken = {
      ...knownSweep(),
      latency: { ...knownSweep().latency, relativeAccuracy: 0.02 },
    };

    const report = await publishMetrics(...judged(broken), {
      config: configFor('cloudwatch'),
      deadline: later(),
      log: (line) => logs.push(line),
    });

    expect(report).toMatchObject({ status: 'fallback', requests: 0, datums: 0 });
    expect(report.reason).toContain('RangeError');
    expect(logs).toMatchObject([{ level: 'WARN' }]);
  });
});

describe('publishMetrics in the other modes', () => {
  it('sends nothing and writes nothing when off', async () => {
    const output = captureOutput();

    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('off'),
      deadline: later(),
    });

    expect(report).toEqual({ status: 'off', requests: 0, datums: 0 });
    expect(cloudWatch).not.toHaveReceivedAnyCommand();
    expect(output.stdout() + output.stderr()).toBe('');
  });

  it('writes EMF to stdout and calls no API in emf mode', async () => {
    const output = captureOutput();

    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('emf'),
      deadline: later(),
    });

    expect(report).toEqual({ status: 'published', requests: 0, datums: 19 });
    expect(cloudWatch).not.toHaveReceivedAnyCommand();
    expect(emfTotals(parseEmf(output.stdout())).Requests).toEqual({ sum: 10, samples: 1 });
  });

  it('prints a readable summary on stderr, keeping stdout for the CLI, in local mode', async () => {
    const output = captureOutput();

    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('local'),
      deadline: later(),
    });

    expect(report).toEqual({ status: 'local', requests: 0, datums: 19 });
    expect(output.stdout()).toBe('');
    expect(output.stderr()).toContain('Expected 7');
    expect(cloudWatch).not.toHaveReceivedAnyCommand();
  });
});

describe('sendBatches', () => {
  it('stops at the first failed request and says how many CloudWatch accepted before it', async () => {
    cloudWatch
      .on(PutMetricDataCommand)
      .resolvesOnce({})
      .rejects(Object.assign(new Error('boom'), { name: 'InternalServiceFault' }));
    const batch = [{ MetricName: 'Requests', Value: 1 }];

    const result = await sendBatches(
      'StatusSweep',
      [batch, batch, batch],
      AbortSignal.timeout(20_000),
    );

    expect(result.accepted).toBe(1);
    expect(result.failure?.reason).toBe('PutMetricData failed: InternalServiceFault: boom');
    expect(cloudWatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 2);
  });

  it('sends a request again only when CloudWatch certainly stored nothing', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    cloudWatch.on(PutMetricDataCommand).rejects(refused);
    const batch = [{ MetricName: 'Requests', Value: 1 }];

    const result = await sendBatches('StatusSweep', [batch], AbortSignal.timeout(20_000));

    expect(result.failure?.delivery).toBe('unsent');
    expect(result.failure?.reason).toMatch(/^PutMetricData failed after 3 attempts: /);
    expect(cloudWatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 3);
  });
});

describe('deliveryOf', () => {
  it.each([
    [{ name: 'Throttling', $metadata: { httpStatusCode: 400 } }, 'rejected'],
    [{ name: 'InternalServiceFault', $metadata: { httpStatusCode: 500 } }, 'rejected'],
    [{ code: 'ECONNREFUSED' }, 'unsent'],
    [
      { name: 'TimeoutError', message: 'the request socket did not establish a connection' },
      'unsent',
    ],
    [{ code: 'ECONNRESET' }, 'unknown'],
    [{ name: 'TimeoutError', message: 'a request has exceeded the configured 3000 ms' }, 'unknown'],
    [{ name: 'AbortError' }, 'unknown'],
  ])('reads %o as %s', (error, delivery) => {
    expect(deliveryOf(Object.assign(new Error(), error))).toBe(delivery);
  });
});
