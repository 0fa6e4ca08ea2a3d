import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConcluder } from '../../lambda/conclude/conclude.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { planFor, runInput } from '../../lambda/distributed/start.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { ConfigError, InvalidRequestError } from '../../lambda/ground/errors.js';
import { MAX_EXPECT_RULES } from '../../lambda/ground/expect-rules.js';
import { requestParser } from '../../lambda/request/request.js';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { getSweeps, lambdaContext, postSweeps, scheduleEvent } from '../support/events.js';
import {
  expectAccountedFor,
  type HandlerUnderTest,
  handlerOnLoopback,
  jsonBody,
  swept,
} from '../support/sweep-handler.js';

/** What PokéAPI answers: 200 up to id 1025, 404 above (the demo upstream does the same). */
const POKEAPI = [
  { ids: '1-1025', statuses: ['2xx'] },
  { ids: '1026-', statuses: [404] },
];

let sut: HandlerUnderTest;
beforeAll(async () => {
  // A few ms of latency per id, so that the latency the verdict reads is real.
  sut = await handlerOnLoopback({}, 5);
});
afterAll(() => sut.close());

describe('the verdict of a sweep', () => {
  it('answers ok with no unexpected id for 1-1030 with the PokéAPI expectations (the demo upstream)', async () => {
    const result = await sut.http(
      postSweeps({ start: 1, end: 1030, concurrency: 64, expect: POKEAPI }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    const response = jsonBody<SweepResponse>(result);
    expect(response).toMatchObject({
      verdict: 'ok',
      expected: 1030,
      unexpected: 0,
      unexpectedIds: '',
      verdictReasons: [],
      complete: true,
      statuses: { '200': 1025, '404': 5 },
    });
    expect(response.latencyMs?.min).toBeGreaterThan(0);
    expectAccountedFor(response);
  });

  it('fails the README example (1020-1030) under the default 2xx-or-3xx expectation, naming the 404s', async () => {
    const response = jsonBody<SweepResponse>(
      await sut.http(postSweeps({ start: 1020, end: 1030 }), lambdaContext()),
    );

    expect(response).toMatchObject({
      verdict: 'failed',
      expected: 6,
      unexpected: 5,
      unexpectedIds: '1026-1030',
      verdictReasons: ['5 of 11 attempted ids did not meet their expectation (54.55 % met)'],
    });
  });

  it('reads expectations from a GET query parameter as JSON', async () => {
    const response = jsonBody<SweepResponse>(
      await sut.http(
        getSweeps({ start: 1020, end: 1030, expect: JSON.stringify(POKEAPI) }),
        lambdaContext(),
      ),
    );

    expect(response).toMatchObject({ verdict: 'ok', expected: 11, unexpected: 0 });
  });

  it('judges a scheduled sweep by the expectations in its input, and logs the verdict', async () => {
    const before = sut.logs.length;

    const response = swept(
      await sut.invoke(
        scheduleEvent({ start: 1020, end: 1030, schedule: 'kanto', expect: POKEAPI }),
        lambdaContext(),
      ),
    );

    expect(response).toMatchObject({ trigger: 'schedule', verdict: 'ok', unexpected: 0 });
    const line = JSON.parse(sut.logs.slice(before).at(-1) ?? '{}');
    expect(line).toMatchObject({ verdict: 'ok', expected: 11, unexpected: 0 });
  });
});

describe('expectations set at deploy time', () => {
  let deployed: HandlerUnderTest;
  beforeAll(async () => {
    deployed = await handlerOnLoopback({
      EXPECT: JSON.stringify(POKEAPI),
      VERDICT_MAX_P95_MS: '900000',
    });
  });
  afterAll(() => deployed.close());

  it('judges by EXPECT unless the request brings its own rules', async () => {
    const byDefault = jsonBody<SweepResponse>(
      await deployed.http(postSweeps({ start: 1020, end: 1030 }), lambdaContext()),
    );
    const own = jsonBody<SweepResponse>(
      await deployed.http(
        postSweeps({ start: 1020, end: 1030, expect: [{ statuses: ['2xx'] }] }),
        lambdaContext(),
      ),
    );

    expect(byDefault).toMatchObject({ verdict: 'ok', unexpected: 0 });
    expect(own).toMatchObject({ verdict: 'failed', unexpected: 5, unexpectedIds: '1026-1030' });
  });

  it('is degraded above VERDICT_MAX_P95_MS', async () => {
    const slow = await handlerOnLoopback({ VERDICT_MAX_P95_MS: '1' }, 20);
    try {
      const response = swept(await slow.invoke({ start: 1, end: 10 }, lambdaContext()));

      expect(response.verdict).toBe('degraded');
      expect(response.verdictReasons).toEqual([
        expect.stringMatching(/^p95 latency .* above 1 ms$/),
      ]);
    } finally {
      await slow.close();
    }
  });

  it.each([
    ['[{"statuses":[]}]', 'EXPECT.0.statuses must be at least one status, got []'],
    ['[{"ids":"9-1","statuses":[200]}]', 'EXPECT.0.ids must be ascending ids in compact form'],
    ['not json', 'EXPECT must be JSON rules, got "not json"'],
  ])('refuses EXPECT=%s at cold start, naming the field', (value, message) => {
    expect(() => loadConfig({ EXPECT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ EXPECT: value })).toThrow(message);
  });

  it.each([
    [
      { VERDICT_FAILED_BELOW_PERCENT: '101' },
      'VERDICT_FAILED_BELOW_PERCENT must be a number from 0 to 100, got 101',
    ],
    [
      { VERDICT_FAILED_BELOW_PERCENT: '-1' },
      'VERDICT_FAILED_BELOW_PERCENT must be a number from 0 to 100',
    ],
    [{ VERDICT_MAX_P95_MS: '0' }, 'VERDICT_MAX_P95_MS must be an integer from 1 to 900000, got 0'],
  ])('refuses %j at cold start', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes a decimal threshold and defaults to 95 % with no latency bound', () => {
    expect(loadConfig({ VERDICT_FAILED_BELOW_PERCENT: '99.5' }).verdict).toEqual({
      failedBelowPercent: 99.5,
    });
    expect(loadConfig({})).toMatchObject({
      verdict: { failedBelowPercent: 95 },
      expect: [{ statuses: ['2xx', '3xx'] }],
    });
  });
});

describe('bad expectations on a request', () => {
  it.each([
    [{ expect: {} }, { expect: ['must be a list of rules, got {}'] }],
    [
      { expect: [{ ids: '1026-', statuses: [404, 'ok'] }] },
      { 'expect.0.statuses.1': ['must be a status from 100 to 599 or "1xx"…"5xx", got "ok"'] },
    ],
    [
      { expect: [{ statuses: [200], url: 'http://169.254.169.254/' }] },
      { 'expect.0.url': ['is not a known field'] },
    ],
    [
      { expect: Array(MAX_EXPECT_RULES + 1).fill({ statuses: [200] }) },
      { expect: [expect.stringMatching(/^must be at most 100 rules, got /)] },
    ],
  ])('answers 400 naming each bad field of %j', async (fields, details) => {
    const result = await sut.http(postSweeps({ start: 1, end: 2, ...fields }), lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(jsonBody<{ error: { code: string; details: object } }>(result).error).toMatchObject({
      code: 'invalid_request',
      details,
    });
  });

  it('answers 400 for a GET whose expect is not JSON rules', async () => {
    const result = await sut.http(getSweeps({ start: 1, end: 2, expect: '2xx' }), lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(jsonBody<{ error: { details: object } }>(result).error.details).toEqual({
      expect: ['must be a list of rules, got "2xx"'],
    });
  });

  it('fails a scheduled invocation whose expect is bad, before sweeping', async () => {
    const requests = sut.upstream.requests();

    await expect(
      sut.invoke(
        scheduleEvent({ start: 1, end: 2, schedule: 'kanto', expect: [{ statuses: [] }] }),
        lambdaContext(),
      ),
    ).rejects.toThrow(InvalidRequestError);
    expect(sut.upstream.requests()).toBe(requests);
  });
});

describe('a distributed sweep', () => {
  it('carries the request expectations in its run record to the reduce, which judges by them', async () => {
    const config = loadConfig({ METRICS_MODE: 'off', MAX_IDS: '10', TARGET_NAME: 'demo' });
    const request = requestParser(config, { distributed: true }).fromApi(
      { start: 1020, end: 1030, expect: POKEAPI },
      'body',
    );
    const sweepId = '4e890261-3697-4f8e-8a71-decc87a1e5ee';
    const { run } = runInput(request, sweepId, planFor(request, config));
    const shards = [1020, 1030].map((start) => {
      const end = Math.min(start + 9, 1030);
      const tally = new Tally({ start, end });
      for (let id = start; id <= end; id++) {
        tally.settle(id, { kind: 'status', status: id <= 1025 ? 200 : 404 }, 3);
      }
      return summarize(tally, { startedAt: 0, endedAt: 1 });
    });

    const response = await createConcluder(config, { log: () => undefined }).concludeRun(
      JSON.parse(JSON.stringify(run)),
      shards,
      { startedAt: 0, endedAt: 1 },
      lambdaContext(),
    );

    expect(run.expect).toEqual(POKEAPI);
    expect(response).toMatchObject({ verdict: 'ok', expected: 11, unexpected: 0 });
  });
});
