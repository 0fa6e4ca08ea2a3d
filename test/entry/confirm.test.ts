import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers, type SweepHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { getSweeps, lambdaContext, postSweeps, scheduleEvent } from '../support/events.js';
import { type LoopbackServer, listenOnLoopback } from '../support/loopback-server.js';
import { expectAccountedFor, jsonBody, swept } from '../support/sweep-handler.js';

/**
 * An origin on loopback with a few ms of latency: ids 10-19 answer 500 the first time and 200
 * after (flaky), 50-54 always 500 (hard failures), 1000 and above 500 at once the first time and
 * 200 only after 400 ms (a large confirm set that cannot finish before the deadline), 3000-3009
 * fail the first time like 10-19 (a shard's); the rest 200.
 */
interface FlakyOrigin extends LoopbackServer {
  /** Id → times each request arrived (ms, performance.now()). */
  readonly requests: Map<number, number[]>;
}

async function startFlakyOrigin(): Promise<FlakyOrigin> {
  const requests = new Map<number, number[]>();
  const server = createServer((req, res) => {
    const id = Number(req.url?.split('/').at(-1));
    const seen = requests.get(id) ?? [];
    requests.set(id, [...seen, performance.now()]);
    const first = seen.length === 0;
    const status =
      (((id >= 10 && id <= 19) || (id >= 3000 && id <= 3009)) && first) ||
      (id >= 50 && id <= 54) ||
      (id >= 1000 && id < 3000 && first)
        ? 500
        : 200;
    const latencyMs = id >= 1000 && id < 3000 && !first ? 400 : 3;
    setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('x'), latencyMs);
  });
  return { ...(await listenOnLoopback(server)), requests };
}

let origin: FlakyOrigin;
let handlers: SweepHandlers;
beforeAll(async () => {
  origin = await startFlakyOrigin();
  const config = loadConfig({
    TARGET_URL_TEMPLATE: `${origin.url}/items/{id}`,
    TARGET_NAME: 'flaky',
    METRICS_MODE: 'off',
    SCHEDULE_NAMES: 'nightly',
    SCHEDULE_RANGES: 'nightly=200-299',
  });
  handlers = createHandlers(config, { log: () => undefined });
});
afterAll(() => origin.close());

describe('the confirmation pass', () => {
  it('counts ids that fail once then succeed as flaky and expected, and ids that fail twice as unexpected', async () => {
    const result = await handlers.http(
      postSweeps({ start: 1, end: 100, concurrency: 8, retries: 0, confirmDelayMs: 300 }),
      lambdaContext(),
    );

    const response = jsonBody<SweepResponse>(result);
    expect(response).toMatchObject({
      flaky: 10,
      flakyIds: '10-19',
      unexpected: 5,
      unexpectedIds: '50-54',
      expected: 95,
      confirm: { requested: 15, confirmed: 5 },
      statuses: { '200': 95, '500': 5 },
      ids: { '200': '1-49,55-100', '500': '50-54' },
      verdict: 'degraded',
    });
    expect(response.confirm?.skipped).toBeUndefined();
    expectAccountedFor(response);
    // Each unexpected id was asked twice, after the wait; every other id once.
    expect(origin.requests.get(12)?.length).toBe(2);
    expect(origin.requests.get(52)?.length).toBe(2);
    expect(origin.requests.get(30)?.length).toBe(1);
    const [first = 0, second = 0] = origin.requests.get(15) ?? [];
    expect(second - first).toBeGreaterThanOrEqual(290);
  });

  it('requests nothing again and counts every miss as unexpected with confirm: false', async () => {
    const before = origin.requests.get(112)?.length ?? 0;
    const response = jsonBody<SweepResponse>(
      await handlers.http(
        postSweeps({ start: 101, end: 120, retries: 0, confirm: false }),
        lambdaContext(),
      ),
    );

    expect(response).toMatchObject({ flaky: 0, flakyIds: '', confirm: null, unexpected: 0 });
    expect((origin.requests.get(112)?.length ?? 0) - before).toBe(1);
  });

  it('takes confirm: false from a query string and from a schedule', async () => {
    const query = jsonBody<SweepResponse>(
      await handlers.http(getSweeps({ start: 121, end: 122, confirm: 'false' }), lambdaContext()),
    );
    const scheduled = swept(
      await handlers.invoke(
        scheduleEvent({ start: 200, end: 299, schedule: 'nightly', confirm: false }),
        lambdaContext(),
      ),
    );

    expect(query.confirm).toBeNull();
    expect(scheduled.confirm).toBeNull();
  });

  it('requests at most confirmMax ids again and says so', async () => {
    const response = jsonBody<SweepResponse>(
      await handlers.http(
        postSweeps({ start: 1, end: 100, retries: 0, confirmMax: 3, confirmDelayMs: 0 }),
        lambdaContext(),
      ),
    );

    // 10-19 are no longer flaky (they answer 200 now): 50-52 requested again, 53-54 not.
    expect(response.confirm).toMatchObject({ requested: 3, confirmed: 3 });
    expect(response.confirm?.skipped).toMatch(/^confirmMax: only the first 3/);
    expect(response.unexpectedIds).toBe('50-54');
  });

  it('answers by the deadline when the confirm set cannot be requested again in time, keeping every id accounted for', async () => {
    const startedAt = Date.now();
    const response = jsonBody<SweepResponse>(
      await handlers.http(
        postSweeps({
          start: 1000,
          end: 1999,
          concurrency: 16,
          retries: 0,
          confirmMax: 1000,
          confirmDelayMs: 100,
          timeBudgetMs: 3_000,
        }),
        lambdaContext(),
      ),
    );
    const tookMs = Date.now() - startedAt;

    // 1,000 ids at 400 ms each, 16 at a time, would take 25 s: the budget ends the pass.
    expect(tookMs).toBeLessThan(3_000 + 2_000);
    expect(response.confirm?.requested).toBe(1000);
    expect(response.confirm?.skipped).toMatch(/^deadline: \d+ ids requested again got no answer/);
    expect(response.flaky + response.unexpected).toBe(1000);
    expect(response.flaky).toBeGreaterThan(0);
    expect(response.flaky).toBeLessThan(500);
    expect(response.unexpected).toBeGreaterThan(500);
    expectAccountedFor(response);
  });

  it('runs in each shard of a distributed sweep, which hands its flaky ids to the merge', async () => {
    const aggregate = await handlers.shard(
      {
        kind: 'shard',
        sweepId: '00000000-0000-4000-8000-000000000024',
        shardStart: 3000,
        shardSize: 20,
        rangeEnd: 3019,
        options: { concurrency: 4, timeoutMs: 2_000, retries: 0, confirmDelayMs: 0 },
      },
      lambdaContext(),
    );

    expect(aggregate.confirm).toEqual({ requested: 10, confirmed: 0, flakyIds: '3000-3009' });
    expect(aggregate.ids).toEqual({ '200': '3000-3019' });
  });
});

describe('the confirmation pass after the origin asked to slow down', () => {
  it('waits out a Retry-After the main pass received before asking again', async () => {
    // Ids 60-64 fail the first time; id 100, the last, answers 429 with Retry-After: 3 once.
    const arrivals = new Map<number, number[]>();
    let refusedAt = 0;
    const server = createServer((req, res) => {
      const id = Number(req.url?.split('/').at(-1));
      const seen = arrivals.get(id) ?? [];
      arrivals.set(id, [...seen, performance.now()]);
      if (id === 100 && seen.length === 0) {
        refusedAt = performance.now();
        res.writeHead(429, { 'retry-after': '3' }).end();
        return;
      }
      const status = id >= 60 && id <= 64 && seen.length === 0 ? 500 : 200;
      setTimeout(() => res.writeHead(status).end('x'), 2);
    });
    const slowing = await listenOnLoopback(server);
    try {
      const config = loadConfig({
        TARGET_URL_TEMPLATE: `${slowing.url}/items/{id}`,
        TARGET_NAME: 'slowing',
        METRICS_MODE: 'off',
      });
      const h = createHandlers(config, { log: () => undefined });
      const response = jsonBody<SweepResponse>(
        await h.http(
          postSweeps({ start: 1, end: 100, concurrency: 1, retries: 0, confirmDelayMs: 200 }),
          lambdaContext(),
        ),
      );

      expect(response).toMatchObject({ flakyIds: '60-64,100', unexpected: 0, throttlePauses: 1 });
      const again = [60, 61, 62, 63, 64, 100].map((id) => arrivals.get(id)?.[1] ?? 0);
      // Not 200 ms after the main pass: 3 s after the refusal (timers may fire a little early).
      expect(Math.min(...again) - refusedAt).toBeGreaterThanOrEqual(2_900);
    } finally {
      await slowing.close();
    }
  });
});
