import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { sendBatches as SendBatches } from '../../lambda/metrics/cloudwatch.js';
import { batchDatums } from '../../lambda/metrics/datums.js';
import {
  MAX_DATUMS_PER_REQUEST,
  MAX_REQUEST_BYTES,
  MAX_VALUES_PER_DATUM,
} from '../../lambda/metrics/limits.js';
import type { publishMetrics as PublishMetrics } from '../../lambda/metrics/publish.js';
import { MAX_PUBLISH_MS } from '../../lambda/metrics/send.js';
import {
  type CloudWatchEndpoint,
  EndpointBehaviour,
  JSON_1_0,
  PUT_METRIC_DATA_TARGET,
  startCloudWatchEndpoint,
} from '../support/cloudwatch-endpoint.js';
import { stubLoopbackAws } from '../support/loopback-aws.js';
import { datumTotals, emfTotals, parseEmf, rounded } from './emf-check.js';
import {
  configFor,
  ENDED_AT,
  judged,
  KNOWN_LATENCIES,
  knownSweep,
  largeSweep,
} from './fixtures.js';

/**
 * The real SDK client against a loopback CloudWatch. The client is created when publish.ts is
 * imported, so the standard AWS settings are in place before the (dynamic) import.
 */
let endpoint: CloudWatchEndpoint;
let publishMetrics: typeof PublishMetrics;
let sendBatches: typeof SendBatches;
let stdout: string[];

beforeAll(async () => {
  endpoint = await startCloudWatchEndpoint();
  stubLoopbackAws('CLOUDWATCH', endpoint.url);
  ({ publishMetrics } = await import('../../lambda/metrics/publish.js'));
  ({ sendBatches } = await import('../../lambda/metrics/cloudwatch.js'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await endpoint.close();
});
beforeEach(() => {
  endpoint.requests.length = 0;
  endpoint.behaviour = EndpointBehaviour.accept;
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Log lines (a fallback's cause) go to the test, so that stdout holds only EMF. */
const quiet = () => undefined;
const context = (mode = 'cloudwatch' as const) => ({
  config: configFor(mode),
  deadline: Date.now() + 25_000,
  log: quiet,
});

describe('PutMetricData through the real SDK client', () => {
  it('reaches the endpoint named by AWS_ENDPOINT_URL_CLOUDWATCH in AWS JSON 1.0, signed', async () => {
    await publishMetrics(...judged(knownSweep()), context());

    expect(endpoint.requests).toHaveLength(1);
    const [request] = endpoint.requests;
    expect(request).toMatchObject({ target: PUT_METRIC_DATA_TARGET, contentType: JSON_1_0 });
    expect(request?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK\/\d{8}\/us-east-1\/monitoring\//,
    );
  });

  it('sends the exact datums of a known sweep, latency counts summing to the ids that got a response', async () => {
    const report = await publishMetrics(...judged(knownSweep()), context());

    expect(report).toEqual({ status: 'published', requests: 1, datums: 19 });
    const [request] = endpoint.requests;
    expect(request?.namespace).toBe('StatusSweep');
    const common = {
      Dimensions: [{ Name: 'Target', Value: 'demo.test' }],
      Timestamp: ENDED_AT / 1000,
      StorageResolution: 60,
    };
    const scalar = (MetricName: string, Unit: string, Value: number) => ({
      MetricName,
      Unit,
      Value,
      ...common,
    });
    const data = request?.metricData ?? [];
    expect(data.filter((d) => d.MetricName !== 'RequestLatency')).toEqual([
      scalar('SweepDuration', 'Milliseconds', 1234),
      scalar('Sweeps', 'Count', 1),
      scalar('Requests', 'Count', 10),
      scalar('Expected', 'Count', 7),
      scalar('Unexpected', 'Count', 3),
      scalar('Status2xx', 'Count', 6),
      scalar('Status3xx', 'Count', 1),
      scalar('Status4xx', 'Count', 1),
      scalar('Status5xx', 'Count', 1),
      scalar('Errors', 'Count', 1),
      scalar('Retries', 'Count', 2),
      scalar('NotAttempted', 'Count', 2),
      scalar('ContentMismatch', 'Count', 0),
      scalar('Slow', 'Count', 0),
      scalar('SuccessRate', 'Percent', 70),
      scalar('VerdictOk', 'Count', 0),
      scalar('VerdictDegraded', 'Count', 0),
      scalar('VerdictFailed', 'Count', 1),
    ]);
    const latency = data.filter((d) => d.MetricName === 'RequestLatency');
    expect(latency).toHaveLength(1);
    expect(latency[0]).toMatchObject({ Unit: 'Milliseconds', ...common });
    expect(latency[0]?.Counts?.reduce((s, c) => s + c, 0)).toBe(KNOWN_LATENCIES.length);
    const expanded = (latency[0]?.Values ?? []).flatMap((v, i) =>
      Array<number>(latency[0]?.Counts?.[i] ?? 0).fill(v),
    );
    expanded.forEach((v, i) => {
      const exact = KNOWN_LATENCIES[i] as number;
      expect(Math.abs(v - exact) / exact).toBeLessThanOrEqual(0.005);
    });
  });

  it('publishes a 10,000-id sweep within the limits, gzipped, with every latency sample', async () => {
    const sweep = largeSweep();

    const report = await publishMetrics(...judged(sweep), context());

    expect(report.status).toBe('published');
    expect(endpoint.requests).toHaveLength(report.requests);
    const data = endpoint.requests.flatMap((r) => r.metricData);
    expect(data).toHaveLength(report.datums);
    for (const request of endpoint.requests) {
      expect(request.metricData.length).toBeLessThanOrEqual(MAX_DATUMS_PER_REQUEST);
      expect(request.wireBytes).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
      expect(request.contentEncoding).toBe('gzip');
    }
    const latency = data.filter((d) => d.MetricName === 'RequestLatency');
    expect(latency.length).toBeGreaterThan(1);
    for (const d of latency) expect(d.Values?.length).toBeLessThanOrEqual(MAX_VALUES_PER_DATUM);
    const responded = Object.values(sweep.statuses).reduce((s, n) => s + n, 0);
    expect(datumTotals(latency).RequestLatency?.samples).toBe(responded);
    console.info(
      `10,000-id sweep: ${report.requests} request(s), ${report.datums} datums (${latency.length} RequestLatency), ` +
        endpoint.requests.map((r) => `${r.bodyBytes} B JSON → ${r.wireBytes} B gzip`).join(', '),
    );
  });

  it('splits thousands of datums into requests of at most 1,000, all accepted in order', async () => {
    const datums: MetricDatum[] = Array.from({ length: 2_345 }, (_, i) => ({
      MetricName: `Synthetic${i}`,
      Unit: 'Count',
      Value: i,
      Timestamp: new Date(ENDED_AT),
    }));

    const result = await sendBatches(
      'StatusSweep',
      batchDatums(datums),
      AbortSignal.timeout(25_000),
    );

    expect(result).toEqual({ accepted: 3 });
    expect(endpoint.requests.map((r) => r.metricData.length)).toEqual([1_000, 1_000, 345]);
    expect(endpoint.requests.flatMap((r) => r.metricData.map((d) => d.Value))).toEqual(
      datums.map((d) => d.Value),
    );
  });
});

describe('when CloudWatch fails', () => {
  it('calls a batch that never left before the deadline unsent, so it may go to EMF', async () => {
    const signal = AbortSignal.abort();

    const result = await sendBatches('StatusSweep', [[{ MetricName: 'Sweeps', Value: 1 }]], signal);

    expect(endpoint.requests).toHaveLength(0);
    expect(result).toMatchObject({ accepted: 0, failure: { delivery: 'unsent' } });
  });

  it('names the HTTP status of an answer that is not AWS JSON (a 413), not a JSON syntax error', async () => {
    endpoint.behaviour = EndpointBehaviour.tooLarge;

    const result = await sendBatches(
      'StatusSweep',
      [[{ MetricName: 'Sweeps', Value: 1 }]],
      AbortSignal.timeout(10_000),
    );

    expect(result.failure?.reason).toBe(
      'PutMetricData failed: CloudWatch answered HTTP 413 Payload Too Large with a body that is not AWS JSON',
    );
    expect(result.failure?.delivery).toBe('rejected');
  });

  it.each([
    ['answers 500', EndpointBehaviour.internalError],
    ['throttles', EndpointBehaviour.throttle],
  ])(
    'writes valid EMF with the same totals when the endpoint %s, after three attempts',
    async (_, behaviour) => {
      const sweep = largeSweep();
      const expected = rounded(datumTotals((await publishOk(sweep)).flatMap((r) => r.metricData)));
      endpoint.requests.length = 0;
      endpoint.behaviour = behaviour;

      const report = await publishMetrics(...judged(sweep), context());

      expect(report.status).toBe('fallback');
      expect(report.requests).toBe(0);
      expect(report.reason).toMatch(/^PutMetricData failed after 3 attempts: /);
      expect(endpoint.requests).toHaveLength(3);
      expect(rounded(emfTotals(parseEmf(stdout.join(''))))).toEqual(expected);
    },
  );

  it('gives up at the deadline when the endpoint never answers, and writes no EMF (the data may have arrived)', async () => {
    endpoint.behaviour = EndpointBehaviour.hang;

    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('cloudwatch'),
      deadline: Date.now() + 1_500,
      log: quiet,
    });

    expect(report).toMatchObject({
      status: 'unconfirmed',
      requests: 0,
      unconfirmed: 19,
      reason: 'PutMetricData did not finish before the deadline',
    });
    expect(endpoint.requests).toHaveLength(1);
    expect(stdout.join('')).toBe('');
  });

  it('ends within its own time limit when the endpoint never answers, however far the deadline', async () => {
    endpoint.behaviour = EndpointBehaviour.hang;
    const startedAt = Date.now();

    // An API sweep: the metrics deadline is the gateway's 30 s less the response reserve.
    const report = await publishMetrics(...judged(knownSweep()), {
      config: configFor('cloudwatch'),
      deadline: startedAt + 29_500,
    });

    expect(Date.now() - startedAt).toBeLessThan(MAX_PUBLISH_MS + 1_000);
    expect(report).toMatchObject({ status: 'unconfirmed', requests: 0, unconfirmed: 19 });
    expect(endpoint.requests).toHaveLength(1);
  });

  it('stores the data at most once when the connection resets after the request was read', async () => {
    endpoint.behaviour = EndpointBehaviour.reset;

    const report = await publishMetrics(...judged(knownSweep()), context());

    expect(report).toMatchObject({ status: 'unconfirmed', requests: 0, unconfirmed: 19 });
    expect(report.reason).toMatch(/ECONNRESET|socket hang up/);
    expect(endpoint.requests).toHaveLength(1);
    expect(stdout.join('')).toBe('');
  });
});

async function publishOk(
  sweep: ReturnType<typeof largeSweep>,
): Promise<CloudWatchEndpoint['requests']> {
  endpoint.behaviour = EndpointBehaviour.accept;
  await publishMetrics(...judged(sweep), context());
  return [...endpoint.requests];
}
