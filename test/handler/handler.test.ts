import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambda/config.js';
import { createHandler } from '../../lambda/handler.js';
import type { SweepResponse } from '../../lambda/response.js';
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
  'complete',
  'statuses',
  'errors',
  'notAttempted',
  'ids',
  'latencyMs',
  'attempts',
  'retries',
  'durationMs',
  'metrics',
];

describe('one contract for every trigger', () => {
  it('answers POST /sweeps with 200 and the sweep as JSON', async () => {
    const result = (await sut.handler(
      postSweeps({ start: 1020, end: 1030, concurrency: 4 }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;

    expect(result.statusCode).toBe(200);
    const response = jsonBody(result) as SweepResponse;
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
      attempts: 11,
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
    const result = await sut.handler(
      getSweeps({ start: 1, end: 3, retries: 0, timeoutMs: 5000 }),
      lambdaContext(),
    );

    const response = jsonBody(result) as SweepResponse;
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

    const response = jsonBody(await sut.handler(event, lambdaContext())) as SweepResponse;

    expect(response.ids).toEqual({ '200': '7-8' });
  });

  it('returns the response object to a schedule, naming the trigger', async () => {
    const response = (await sut.handler(
      scheduleEvent({ start: 1, end: 151, schedule: 'kanto' }),
      lambdaContext(),
    )) as SweepResponse;

    expect(response).toMatchObject({ trigger: 'schedule', total: 151, statuses: { '200': 151 } });
    expectAccountedFor(response);
  });

  it('returns the response object to a direct invoke', async () => {
    const response = (await sut.handler(
      directEvent({ start: 0, end: 2 }),
      lambdaContext(),
    )) as SweepResponse;

    expect(response).toMatchObject({
      trigger: 'invoke',
      statuses: { '200': 2, '404': 1 },
      ids: { '200': '1-2', '404': '0' },
    });
  });

  it('logs one JSON summary line per sweep with its id, trigger, counts and metrics status', async () => {
    const before = sut.logs.length;

    const response = (await sut.handler(
      scheduleEvent({ start: 1, end: 40, schedule: 'kanto' }),
      lambdaContext({ awsRequestId: 'req-1' }),
    )) as SweepResponse;

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

describe('the deadline', () => {
  it('returns a partial result, every id accounted for, when the invocation is nearly over', async () => {
    const slow = await handlerOnLoopback({ RESPONSE_MARGIN_MS: '1000' }, 60_000);
    try {
      const result = (await slow.handler(
        postSweeps({ start: 1, end: 50, concurrency: 5 }),
        lambdaContext({ remainingMs: 1_500 }),
      )) as APIGatewayProxyStructuredResultV2;

      expect(result.statusCode).toBe(200);
      const response = jsonBody(result) as SweepResponse;
      expect(response.complete).toBe(false);
      expect(response.statuses).toEqual({});
      expect(response.errors.aborted + response.notAttempted).toBe(50);
      expect(response.notAttempted).toBeGreaterThan(0);
      expect(response.latencyMs).toBeNull();
      expectAccountedFor(response);
    } finally {
      await slow.close();
    }
  });

  it('still answers 200 when the sweep runs to the very end of the invocation (no middy early timeout)', async () => {
    const slow = await handlerOnLoopback({ RESPONSE_MARGIN_MS: '0' }, 60_000);
    try {
      const result = (await slow.handler(
        postSweeps({ start: 1, end: 3 }),
        lambdaContext({ remainingMs: 400 }),
      )) as APIGatewayProxyStructuredResultV2;

      expect(result.statusCode).toBe(200);
      expect(jsonBody(result)).toMatchObject({ complete: false, errors: { aborted: 3 } });
    } finally {
      await slow.close();
    }
  });

  it('stops at the caller’s timeBudgetMs', async () => {
    const slow = await handlerOnLoopback({}, 60_000);
    try {
      const response = (await slow.handler(
        directEvent({ start: 1, end: 4, timeBudgetMs: 300 }),
        lambdaContext(),
      )) as SweepResponse;

      expect(response).toMatchObject({ complete: false, errors: { aborted: 4 } });
    } finally {
      await slow.close();
    }
  });
});

describe('our own failures', () => {
  it('answers a bug with 500, a generic message and the request id, never the stack', async () => {
    const config = loadConfig({
      TARGET_URL_TEMPLATE: sut.upstream.urlTemplate,
      METRICS_MODE: 'off',
    });
    const broken = createHandler(config, {
      log: () => undefined,
      onAggregate: () => {
        throw new TypeError('secret internals at /var/task/index.mjs:1');
      },
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const result = (await broken(
        postSweeps({ start: 1, end: 2 }),
        lambdaContext({ awsRequestId: 'req-500' }),
      )) as APIGatewayProxyStructuredResultV2;

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
    } finally {
      console.error = original;
    }
  });

  it('lets a scheduled invocation fail with the error itself', async () => {
    const config = loadConfig({
      TARGET_URL_TEMPLATE: sut.upstream.urlTemplate,
      METRICS_MODE: 'off',
    });
    const broken = createHandler(config, {
      onAggregate: () => {
        throw new TypeError('boom');
      },
    });

    await expect(
      broken(scheduleEvent({ start: 1, end: 2, schedule: 'x' }), lambdaContext()),
    ).rejects.toThrow('boom');
  });
});
