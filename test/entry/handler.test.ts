import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import {
  directEvent,
  getSweeps,
  httpApiEvent,
  lambdaContext,
  postSweeps,
  scheduleEvent,
} from '../support/events.js';
import {
  expectAccountedFor,
  type HandlerUnderTest,
  handlerOnLoopback,
  jsonBody,
  swept,
} from '../support/sweep-handler.js';

let sut: HandlerUnderTest;
beforeAll(async () => {
  sut = await handlerOnLoopback();
});
afterAll(() => sut.close());

const CONTRACT_FIELDS = [
  'sweepId',
  'trigger',
  'target',
  'range',
  'total',
  'verdict',
  'expected',
  'unexpected',
  'unexpectedIds',
  'flaky',
  'flakyIds',
  'confirm',
  'unexpectedReasons',
  'unexpectedSamples',
  'verdictReasons',
  'complete',
  'statuses',
  'errors',
  'errorSamples',
  'notAttempted',
  'ids',
  'latencyMs',
  'phases',
  'certificate',
  'attempts',
  'retries',
  'resends',
  'throttlePauses',
  'durationMs',
  'endedAt',
  'metrics',
  'changes',
];

describe('one contract for every trigger', () => {
  it('answers POST /sweeps with 200 and the sweep as JSON', async () => {
    const result = await sut.http(
      postSweeps({ start: 1020, end: 1030, concurrency: 4 }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    const response = jsonBody<SweepResponse>(result);
    expect(Object.keys(response)).toEqual(CONTRACT_FIELDS);
    expect(response).toMatchObject({
      trigger: 'api',
      target: 'demo',
      range: { start: 1020, end: 1030 },
      total: 11,
      complete: true,
      statuses: { '200': 6, '404': 5 },
      notAttempted: 0,
      ids: { '200': '1020-1025', '404': '1026-1030' },
      attempts: 16, // 11 ids, and the 5 unexpected ones once more (the confirmation pass)
      retries: 0,
      metrics: { status: 'off' },
    });
    expect(Object.keys(response.latencyMs ?? {})).toEqual([
      'min',
      'mean',
      'p50',
      'p90',
      'p95',
      'p99',
      'max',
    ]);
    expectAccountedFor(response);
  });

  it('answers GET /sweeps with the same fields as query parameters', async () => {
    const result = await sut.http(
      getSweeps({ start: 1, end: 3, retries: 0, timeoutMs: 5000 }),
      lambdaContext(),
    );

    const response = jsonBody<SweepResponse>(result);
    expect(response).toMatchObject({ trigger: 'api', total: 3, statuses: { '200': 3 } });
  });

  it('reads a base64-encoded body', async () => {
    const body = Buffer.from(JSON.stringify({ start: 7, end: 8 })).toString('base64');
    const event = httpApiEvent({
      method: 'POST',
      path: '/sweeps',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body,
      isBase64Encoded: true,
    });

    const response = jsonBody<SweepResponse>(await sut.http(event, lambdaContext()));

    expect(response.ids).toEqual({ '200': '7-8' });
  });

  it('returns the response object to a schedule, naming the trigger', async () => {
    const response = swept(
      await sut.invoke(scheduleEvent({ start: 1, end: 151, schedule: 'kanto' }), lambdaContext()),
    );

    expect(response).toMatchObject({ trigger: 'schedule', total: 151, statuses: { '200': 151 } });
    expectAccountedFor(response);
  });

  it('returns the response object to a direct invoke', async () => {
    const response = swept(await sut.invoke(directEvent({ start: 0, end: 2 }), lambdaContext()));

    expect(response).toMatchObject({
      trigger: 'invoke',
      statuses: { '200': 2, '404': 1 },
      ids: { '200': '1-2', '404': '0' },
    });
  });

  it('logs one JSON summary line per sweep with its id, trigger, counts and metrics status', async () => {
    const before = sut.logs.length;

    const response = swept(
      await sut.invoke(
        scheduleEvent({ start: 1, end: 40, schedule: 'kanto' }),
        lambdaContext({ awsRequestId: 'req-1' }),
      ),
    );

    const lines = sut.logs.slice(before);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'INFO',
      requestId: 'req-1',
      sweepId: response.sweepId,
      trigger: 'schedule',
      schedule: 'kanto',
      total: 40,
      statuses: { '200': 40 },
      durationMs: response.durationMs,
      metrics: 'off',
    });
  });
});

describe('the one Lambda export', () => {
  it('routes each event family to its entry point', async () => {
    const context = lambdaContext();
    const shard = {
      kind: 'shard',
      sweepId: '0b7e2c3e-4f0a-4c1e-9a53-8d2f1e6b7a90',
      shardStart: 1,
      shardSize: 3,
      rangeEnd: 3,
      options: { concurrency: 2, timeoutMs: 5_000, retries: 0 },
    };

    const [http, invoke, aggregate] = await Promise.all([
      sut.dispatch(postSweeps({ start: 1, end: 2 }), context),
      sut.dispatch(directEvent({ start: 1, end: 2 }), context),
      sut.dispatch(shard, context),
    ]);

    expect(http).toMatchObject({ statusCode: 200 });
    expect(invoke).toMatchObject({ trigger: 'invoke', total: 2 });
    expect(aggregate).toMatchObject({ range: { start: 1, end: 3 }, total: 3 });
  });
});

describe('the deadline', () => {
  it('returns a partial result, every id accounted for, when the invocation is nearly over', async () => {
    const slow = await handlerOnLoopback({ RESPONSE_MARGIN_MS: '1000' }, 60_000);
    onTestFinished(() => slow.close());
    const result = await slow.http(
      postSweeps({ start: 1, end: 50, concurrency: 5 }),
      lambdaContext({ remainingMs: 1_500 }),
    );

    expect(result.statusCode).toBe(200);
    const response = jsonBody<SweepResponse>(result);
    expect(response.complete).toBe(false);
    expect(response.statuses).toEqual({});
    expect(response.errors.aborted + response.notAttempted).toBe(50);
    expect(response.notAttempted).toBeGreaterThan(0);
    expect(response.latencyMs).toBeNull();
    expectAccountedFor(response);
  });

  it('still answers 200 when the sweep runs to the very end of the invocation (no middy early timeout)', async () => {
    const slow = await handlerOnLoopback({ RESPONSE_MARGIN_MS: '0' }, 60_000);
    onTestFinished(() => slow.close());
    const result = await slow.http(
      postSweeps({ start: 1, end: 3 }),
      lambdaContext({ remainingMs: 400 }),
    );

    expect(result.statusCode).toBe(200);
    expect(jsonBody(result)).toMatchObject({ complete: false, errors: { aborted: 3 } });
  });

  it('stops at the caller’s timeBudgetMs', async () => {
    const slow = await handlerOnLoopback({}, 60_000);
    onTestFinished(() => slow.close());
    const response = swept(
      await slow.invoke(directEvent({ start: 1, end: 4, timeBudgetMs: 300 }), lambdaContext()),
    );

    expect(response).toMatchObject({ complete: false, errors: { aborted: 4 } });
  });
});

describe('our own failures', () => {
  it('answers a bug with 500, a generic message and the request id, never the stack', async () => {
    const config = loadConfig({
      TARGET_URL_TEMPLATE: sut.upstream.urlTemplate,
      METRICS_MODE: 'off',
    });
    const errors: unknown[] = [];
    const broken = createHandlers(config, {
      log: (line) => errors.push(line),
      onAggregate: () => {
        throw new TypeError('secret internals at /var/task/index.mjs:1');
      },
    });

    const result = await broken.http(
      postSweeps({ start: 1, end: 2 }),
      lambdaContext({ awsRequestId: 'req-500' }),
    );

    expect(result.statusCode).toBe(500);
    expect(jsonBody(result)).toEqual({
      error: {
        code: 'internal_error',
        message: 'internal error; quote request id req-500 when reporting it',
        requestId: 'req-500',
      },
    });
    expect(String(result.body)).not.toContain('secret');
    expect(JSON.stringify(errors)).toContain('secret internals');
  });

  it('lets a scheduled invocation fail with the error itself', async () => {
    const config = loadConfig({
      TARGET_URL_TEMPLATE: sut.upstream.urlTemplate,
      METRICS_MODE: 'off',
    });
    const broken = createHandlers(config, {
      onAggregate: () => {
        throw new TypeError('boom');
      },
    });

    await expect(
      broken.dispatch(scheduleEvent({ start: 1, end: 2, schedule: 'x' }), lambdaContext()),
    ).rejects.toThrow('boom');
  });
});
