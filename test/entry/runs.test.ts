import 'aws-sdk-client-mock-vitest/extend';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionDoesNotExist,
  ListMapRunsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createRunsHandlers } from '../../lambda/entry/runs.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { httpApiEvent, lambdaContext } from '../support/events.js';
import { expectAccountedFor, jsonBody } from '../support/sweep-handler.js';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:StatusSweepRuns';
const BUCKET = 'status-sweep-results';
const SWEEP_ID = '0b7e2c3e-4f0a-4c1e-9a53-8d2f1e6b7a90';
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);

const runs = createRunsHandlers(
  loadConfig({
    TARGET_URL_TEMPLATE: 'http://127.0.0.1:9/{id}',
    TARGET_NAME: 'demo',
    METRICS_MODE: 'off',
    STATE_MACHINE_ARN,
    RESULTS_BUCKET: BUCKET,
  }),
  { log: () => undefined },
);

const getRun = (id: string) => httpApiEvent({ method: 'GET', path: `/sweeps/${id}` });
/** An S3 object body as the SDK returns it. */
const body = (value: unknown) =>
  ({ transformToString: async () => JSON.stringify(value) }) as never;

/** A shard's aggregate where every id answered `status`. */
function shard(start: number, end: number, status: number) {
  const tally = new Tally({ start, end });
  for (let id = start; id <= end; id++) {
    tally.attempts++;
    tally.settle(id, { kind: 'status', status }, 10 + (id % 7));
  }
  return summarize(tally, { startedAt: 1, endedAt: 2 });
}

beforeEach(() => {
  sfn.reset();
  s3.reset();
});
afterEach(() => vi.unstubAllEnvs());

describe('GET /sweeps/{id}', () => {
  it('answers 202 with shard progress while the run is going', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', startDate: new Date(0) });
    sfn.on(ListMapRunsCommand).resolves({ mapRuns: [{ mapRunArn: 'arn:map' } as never] });
    sfn.on(DescribeMapRunCommand).resolves({
      itemCounts: {
        total: 100,
        succeeded: 40,
        failed: 1,
        timedOut: 1,
        aborted: 0,
        running: 10,
        pending: 48,
      } as never,
    });

    const result = await runs.http(getRun(SWEEP_ID), lambdaContext());

    expect(result).toMatchObject({ statusCode: 202, headers: { 'Retry-After': '5' } });
    expect(jsonBody(result)).toEqual({
      sweepId: SWEEP_ID,
      status: 'RUNNING',
      startedAt: '1970-01-01T00:00:00.000Z',
      progress: { total: 100, succeeded: 40, failed: 2, running: 10, pending: 48 },
    });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn: `arn:aws:states:eu-west-1:123456789012:execution:StatusSweepRuns:${SWEEP_ID}`,
    });
  });

  /** The run succeeded, and `stored` is its merged result in the bucket. */
  const succeededWith = (stored: Partial<SweepResponse>) => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', startDate: new Date(0) });
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: `results/${SWEEP_ID}.json` }).resolves({
      Body: body(stored),
    });
  };

  it('answers the merged result, in the single-sweep contract, once the run succeeded', async () => {
    const stored = { sweepId: SWEEP_ID, total: 3, complete: true } as Partial<SweepResponse>;
    succeededWith(stored);

    const result = await runs.http(getRun(SWEEP_ID), lambdaContext());

    expect(result).toMatchObject({ statusCode: 200 });
    expect(jsonBody(result)).toEqual(stored);
  });

  it('answers the summary and a time-limited link when the result is too big for a Lambda response', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTESTONLY');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-only-secret');
    // 1,000,000 ids alternating 200/404: about 6.9 MB, over Lambda's 6 MB.
    const odd = Array.from({ length: 500_000 }, (_, i) => 2 * i + 1);
    const stored = {
      sweepId: SWEEP_ID,
      total: 1_000_000,
      complete: true,
      statuses: { '200': 500_000, '404': 500_000 },
      latencyMs: { p50: 12, p99: 30 },
      failedShards: [],
      ids: { '200': odd.join(','), '404': odd.map((id) => id + 1).join(',') },
    } as unknown as SweepResponse;
    succeededWith(stored);

    const result = await runs.http(getRun(SWEEP_ID), lambdaContext());

    expect(result).toMatchObject({ statusCode: 200 });
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(6 * 1024 * 1024);
    const summary = jsonBody(result) as Record<string, unknown>;
    const { ids: _ids, ...counts } = stored;
    expect(summary).toMatchObject(counts);
    expect(summary).not.toHaveProperty('ids');
    expect(summary.resultBytes).toBe(Buffer.byteLength(JSON.stringify(stored)));
    const url = new URL(String(summary.resultUrl));
    expect(url.hostname).toBe(`${BUCKET}.s3.eu-west-1.amazonaws.com`);
    expect(url.pathname).toBe(`/results/${SWEEP_ID}.json`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDTESTONLY\//);
    expect(Date.parse(String(summary.resultUrlExpiresAt))).toBeGreaterThan(Date.now());
  });

  it('leaves out the unexpected ids and the ranges of changes too when the summary alone is too big', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTESTONLY');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-only-secret');
    // A scheduled run whose odd ids went from 200 to 404 since its baseline: ~3.4 MB of ranges in
    // unexpectedIds and as much again in changes, over Lambda's 6 MB without any `ids`.
    const odd = Array.from({ length: 500_000 }, (_, i) => 2 * i + 1).join(',');
    const even = Array.from({ length: 500_000 }, (_, i) => 2 * i + 2).join(',');
    const none = { count: 0, ids: '' };
    const stored = {
      sweepId: SWEEP_ID,
      total: 1_000_000,
      verdict: 'failed',
      unexpected: 500_000,
      unexpectedIds: odd,
      ids: { '200': even, '404': odd },
      changes: {
        baseline: { sweepId: 'earlier', endedAt: null },
        newlyUnexpected: { count: 500_000, ids: odd },
        recovered: none,
        stillUnexpected: none,
        stillExpected: { count: 500_000, ids: even },
        notCompared: none,
        new: none,
        transitions: { '200→404': odd },
      },
    } as unknown as SweepResponse;
    succeededWith(stored);

    const result = await runs.http(getRun(SWEEP_ID), lambdaContext());

    expect(result).toMatchObject({ statusCode: 200 });
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(6 * 1024 * 1024);
    const summary = jsonBody(result) as Record<string, unknown>;
    expect(summary).toMatchObject({ verdict: 'failed', unexpected: 500_000 });
    expect(summary.omitted).toEqual(['ids', 'unexpectedIds', 'changes']);
    expect(summary).not.toHaveProperty('unexpectedIds');
    expect(summary).not.toHaveProperty('changes');
    expect(summary.changeCounts).toEqual({
      newlyUnexpected: 500_000,
      recovered: 0,
      stillUnexpected: 0,
      stillExpected: 500_000,
      notCompared: 0,
      new: 0,
      'transition 200→404': 500_000,
    });
    expect(String(summary.resultUrl)).toContain(`/results/${SWEEP_ID}.json`);
  });

  it('says why a run failed', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', startDate: new Date(0), error: 'States.Timeout' });
    const result = await runs.http(getRun(SWEEP_ID), lambdaContext());
    expect(jsonBody(result)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('reports a succeeded run whose result has expired', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', startDate: new Date(0) });
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    const result = await runs.http(getRun(SWEEP_ID), lambdaContext());
    expect(jsonBody(result)).toMatchObject({ status: 'FAILED', error: 'ResultExpired' });
  });

  it('answers 404 for a sweep that does not exist', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
    const result = await runs.http(getRun(SWEEP_ID), lambdaContext());
    expect(result).toMatchObject({ statusCode: 404 });
    expect(jsonBody(result)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers 400 for an id that is not a sweep id, without asking AWS', async () => {
    const result = await runs.http(getRun('..%2Fetc'), lambdaContext());
    expect(result).toMatchObject({ statusCode: 400 });
    expect(sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 0);
  });
});

describe('the reduce step', () => {
  const manifestKey = 'map-results/run-1/manifest.json';
  const reduceEvent = {
    kind: 'reduce',
    run: {
      sweepId: SWEEP_ID,
      trigger: 'schedule',
      schedule: 'nightly',
      range: { start: 1, end: 30 },
      shardSize: 10,
    },
    startedAt: '2026-11-25T12:00:00.000Z',
    results: { Bucket: BUCKET, Key: manifestKey },
  };

  it('merges the succeeded shards, counts a failed shard as not attempted, names it and keeps the result', async () => {
    s3.on(GetObjectCommand, { Key: manifestKey }).resolves({
      Body: body({
        ResultFiles: {
          SUCCEEDED: [
            { Key: 'map-results/run-1/SUCCEEDED_0.json' },
            { Key: 'map-results/run-1/SUCCEEDED_1.json' },
          ],
          FAILED: [{ Key: 'map-results/run-1/FAILED_0.json' }],
        },
      }),
    });
    s3.on(GetObjectCommand, { Key: 'map-results/run-1/SUCCEEDED_0.json' }).resolves({
      Body: body([{ Status: 'SUCCEEDED', Output: JSON.stringify(shard(21, 30, 404)) }]),
    });
    s3.on(GetObjectCommand, { Key: 'map-results/run-1/SUCCEEDED_1.json' }).resolves({
      Body: body([{ Status: 'SUCCEEDED', Output: JSON.stringify(shard(1, 10, 200)) }]),
    });
    s3.on(PutObjectCommand).resolves({});

    const output = await runs.reduce(reduceEvent, lambdaContext());

    expect(output).toEqual({
      sweepId: SWEEP_ID,
      total: 30,
      complete: false,
      notAttempted: 10,
      failedShards: 1,
      resultKey: `results/${SWEEP_ID}.json`,
    });
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      Bucket: BUCKET,
      Key: `results/${SWEEP_ID}.json`,
      ContentType: 'application/json',
    });
    const stored = JSON.parse(String(put?.Body)) as SweepResponse;
    expectAccountedFor(stored);
    expect(stored).toMatchObject({
      sweepId: SWEEP_ID,
      trigger: 'schedule',
      target: 'demo',
      statuses: { '200': 10, '404': 10 },
      ids: { '200': '1-10', '404': '21-30', notAttempted: '11-20' },
      attempts: 20,
      metrics: { status: 'off' },
      failedShards: [{ range: { start: 11, end: 20 }, ids: 10 }],
    });
    expect(stored.latencyMs?.max).toBe(16);
  });

  it('fails the task on a malformed reduce event', async () => {
    await expect(
      runs.reduce({ ...reduceEvent, startedAt: 'yesterday' }, lambdaContext()),
    ).rejects.toThrow(/reduce event/);
  });
});
