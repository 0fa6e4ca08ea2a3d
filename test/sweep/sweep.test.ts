import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SweepAggregate } from '../../lambda/sweep/aggregate.js';
import { closePools } from '../../lambda/sweep/dispatcher.js';
import { BODY_DRAIN_LIMIT_BYTES } from '../../lambda/sweep/fetcher.js';
import { parseSpans, partitionsRange } from '../../lambda/sweep/range.js';
import { sweep } from '../../lambda/sweep/sweep.js';
import {
  type Behaviour,
  behaviours,
  type Script,
  startFaultUpstream,
} from '../support/fault-upstream.js';

const { ok } = behaviours;
const status = (code: number, headers?: Record<string, string>): Behaviour => ({
  type: 'status',
  status: code,
  ...(headers ? { headers } : {}),
});
const sequence =
  (...steps: Behaviour[]) =>
  (attempt: number): Behaviour =>
    steps[Math.min(attempt, steps.length) - 1] ?? ok();

/** Every id's script for the fault tour, with the outcome and attempts it must end with. */
const TOUR: Record<
  number,
  { script: (attempt: number) => Behaviour; outcome: string; attempts: number }
> = {
  1: { script: () => ok(), outcome: '200', attempts: 1 },
  2: { script: () => status(404), outcome: '404', attempts: 1 },
  3: { script: () => status(500), outcome: '500', attempts: 1 },
  4: { script: sequence(status(503), ok()), outcome: '200', attempts: 2 },
  5: { script: sequence(status(429, { 'retry-after': '1' }), ok()), outcome: '200', attempts: 2 },
  6: {
    script: sequence(
      status(429, { 'retry-after': new Date(Date.now() - 60_000).toUTCString() }),
      ok(),
    ),
    outcome: '200',
    attempts: 2,
  },
  7: { script: sequence(status(502), status(504), ok()), outcome: '200', attempts: 3 },
  8: { script: () => status(503), outcome: '503', attempts: 3 },
  9: { script: () => ({ type: 'hang' }), outcome: 'timeout', attempts: 3 },
  10: { script: () => ({ type: 'reset' }), outcome: 'connection', attempts: 3 },
  11: { script: () => status(301, { location: '/elsewhere' }), outcome: '301', attempts: 1 },
  12: {
    script: () => ({ type: 'trickle', chunks: 100, everyMs: 100 }),
    outcome: 'timeout',
    attempts: 3,
  },
  13: { script: () => ({ type: 'trickle', chunks: 3, everyMs: 10 }), outcome: '200', attempts: 1 },
  14: {
    script: () => ({ type: 'huge', bytes: 8 * 1024 * 1024, contentLength: true }),
    outcome: '200',
    attempts: 1,
  },
  15: {
    script: () => ({ type: 'huge', bytes: 8 * 1024 * 1024, contentLength: false }),
    outcome: '200',
    attempts: 1,
  },
  16: {
    script: () => ({ type: 'huge', bytes: BODY_DRAIN_LIMIT_BYTES / 2, contentLength: true }),
    outcome: '200',
    attempts: 1,
  },
  17: { script: () => ({ type: 'garbage' }), outcome: 'protocol', attempts: 1 },
  18: { script: () => ok(), outcome: '200', attempts: 1 },
};
const TOUR_RANGE = { start: 1, end: 18 };
const tourScript: Script = (id, attempt) => TOUR[id]?.script(attempt) ?? status(418);

function outcomeOf(aggregate: SweepAggregate, id: number): string | undefined {
  return Object.entries(aggregate.ids).find(([, form]) =>
    parseSpans(form).some(([first, last]) => first <= id && id <= last),
  )?.[0];
}

function countsAddUp(aggregate: SweepAggregate): number {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return sum(aggregate.statuses) + sum(aggregate.errors) + aggregate.notAttempted;
}

describe('sweep against a fault-injecting upstream', () => {
  let upstream: Awaited<ReturnType<typeof startFaultUpstream>>;
  let result: SweepAggregate;

  beforeAll(async () => {
    upstream = await startFaultUpstream(tourScript);
    result = await sweep({
      range: TOUR_RANGE,
      urlTemplate: upstream.urlTemplate,
      concurrency: 8,
      timeoutMs: 1_000,
      retries: 2,
    });
  });
  afterAll(async () => {
    await closePools();
    await upstream.close();
  });

  it.each(Object.entries(TOUR))('ends id %s in its expected outcome', (id, expected) => {
    expect(outcomeOf(result, Number(id))).toBe(expected.outcome);
    expect(upstream.attempts(Number(id))).toBe(expected.attempts);
  });

  it('counts every id exactly once and partitions the range', () => {
    expect(result.total).toBe(18);
    expect(countsAddUp(result)).toBe(18);
    expect(partitionsRange(Object.values(result.ids), TOUR_RANGE)).toBe(true);
    expect(result.complete).toBe(true);
    expect(result.statuses).toEqual({ '200': 10, '301': 1, '404': 1, '500': 1, '503': 1 });
    expect(result.errors).toMatchObject({ timeout: 2, connection: 1, protocol: 1, aborted: 0 });
  });

  it('counts attempts and retries as the upstream saw them', () => {
    const seen = Object.keys(TOUR).reduce((n, id) => n + upstream.attempts(Number(id)), 0);
    expect(result.attempts).toBe(seen);
    expect(result.retries).toBe(seen - 18);
  });

  it('records one latency per id that ended with a status', () => {
    expect(result.latency.count).toBe(14);
  });

  it('leaves no connection stuck mid-response', async () => {
    await vi.waitFor(() => expect(upstream.stuckSockets()).toBe(0), { timeout: 10_000 });
  });
});

describe('sweep limits', () => {
  it('never has more requests in flight than the concurrency', async () => {
    const upstream = await startFaultUpstream(() => ok());
    try {
      const result = await sweep({
        range: { start: 0, end: 199 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 4,
        timeoutMs: 5_000,
        retries: 0,
      });
      expect(result.statuses).toEqual({ '200': 200 });
      expect(upstream.peakInFlight()).toBeLessThanOrEqual(4);
      expect(upstream.connectionsAccepted()).toBeLessThanOrEqual(4);
    } finally {
      await closePools();
      await upstream.close();
    }
  });

  it('reuses its keep-alive connections on the next sweep of the same origin', async () => {
    const upstream = await startFaultUpstream(() => ok());
    try {
      const options = {
        urlTemplate: upstream.urlTemplate,
        concurrency: 4,
        timeoutMs: 5_000,
        retries: 0,
      };
      await sweep({ ...options, range: { start: 1, end: 50 } });
      const afterFirst = upstream.connectionsAccepted();
      await sweep({ ...options, range: { start: 51, end: 100 } });
      expect(upstream.connectionsAccepted()).toBe(afterFirst);
    } finally {
      await closePools();
      await upstream.close();
    }
  });

  it('spaces request starts to honour the rate limit', async () => {
    const upstream = await startFaultUpstream(() => ok());
    try {
      await sweep({
        range: { start: 1, end: 11 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 11,
        timeoutMs: 5_000,
        retries: 0,
        ratePerSecond: 20,
      });
      const span = (upstream.arrivals.at(-1) ?? 0) - (upstream.arrivals[0] ?? 0);
      // 11 starts at 20/s span 10 intervals of 50 ms; one is allowed for the first connection's set-up.
      // A lower bound: a slow machine only adds to it.
      expect(span).toBeGreaterThanOrEqual(9 * 50);
    } finally {
      await closePools();
      await upstream.close();
    }
  });
});

describe('sweep deadline', () => {
  it('returns an incomplete result with every id accounted for when the upstream never answers', async () => {
    const upstream = await startFaultUpstream(() => ({ type: 'hang' }));
    try {
      const timeoutMs = 30_000;
      const result = await sweep({
        range: { start: 1, end: 50 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 10,
        timeoutMs,
        retries: 2,
        deadline: Date.now() + 300,
      });
      expect(result.complete).toBe(false);
      expect(result.errors.aborted).toBe(10);
      expect(result.notAttempted).toBe(40);
      expect(countsAddUp(result)).toBe(50);
      expect(result.ids).toEqual({ aborted: '1-10', notAttempted: '11-50' });
      // It ended at the deadline, not after the per-attempt timeout.
      expect(result.endedAt - result.startedAt).toBeLessThan(timeoutMs);
      await vi.waitFor(() => expect(upstream.stuckSockets()).toBe(0), { timeout: 10_000 });
    } finally {
      await closePools();
      await upstream.close();
    }
  });

  it('keeps the last status of an id whose retry would overrun the deadline', async () => {
    const upstream = await startFaultUpstream(() => status(503, { 'retry-after': '10' }));
    try {
      const result = await sweep({
        range: { start: 1, end: 3 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 3,
        timeoutMs: 5_000,
        retries: 3,
        deadline: Date.now() + 2_000,
      });
      expect(result.statuses).toEqual({ '503': 3 });
      expect(result.retries).toBe(0);
      expect(result.complete).toBe(true);
    } finally {
      await closePools();
      await upstream.close();
    }
  });

  it('stops like at the deadline when the caller aborts', async () => {
    const upstream = await startFaultUpstream(() => ({ type: 'hang' }));
    const controller = new AbortController();
    try {
      const pending = sweep({
        range: { start: 1, end: 5 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 2,
        timeoutMs: 30_000,
        retries: 0,
        signal: controller.signal,
      });
      await vi.waitFor(() => expect(upstream.arrivals.length).toBe(2));
      controller.abort();
      const result = await pending;
      expect(result.ids).toEqual({ aborted: '1-2', notAttempted: '3-5' });
    } finally {
      await closePools();
      await upstream.close();
    }
  });
});

describe('sweep options', () => {
  it.each([
    [{ range: { start: 5, end: 4 } }, /range/],
    [{ concurrency: 0 }, /concurrency/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ retries: -1 }, /retries/],
    [{ ratePerSecond: 0 }, /ratePerSecond/],
    [{ urlTemplate: 'http://127.0.0.1/no-placeholder' }, /\{id\}/],
  ])('rejects %o as a programmer error', async (override, message) => {
    const options = {
      range: { start: 1, end: 2 },
      urlTemplate: 'http://127.0.0.1:9/{id}',
      concurrency: 1,
      timeoutMs: 100,
      retries: 0,
      ...override,
    };
    await expect(sweep(options)).rejects.toThrow(message);
  });
});

describe('sweep connection reuse', () => {
  it('serves a lower concurrency from the warm pool of an earlier, higher one', async () => {
    const upstream = await startFaultUpstream(() => ok());
    try {
      const options = { urlTemplate: upstream.urlTemplate, timeoutMs: 5_000, retries: 0 };
      await sweep({ ...options, concurrency: 8, range: { start: 1, end: 64 } });
      const afterFirst = upstream.connectionsAccepted();
      const result = await sweep({ ...options, concurrency: 2, range: { start: 65, end: 100 } });
      expect(result.statuses).toEqual({ '200': 36 });
      expect(upstream.connectionsAccepted()).toBe(afterFirst);
      expect(upstream.peakInFlight()).toBeLessThanOrEqual(8);
    } finally {
      await closePools();
      await upstream.close();
    }
  });
});
