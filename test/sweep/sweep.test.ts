import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SweepAggregate } from '../../lambda/sweep/aggregate.js';
import { closePools, setTestTlsOptions } from '../../lambda/sweep/dispatcher.js';
import { partitionsRange } from '../../lambda/sweep/range.js';
import { MIN_RATE_PER_SECOND } from '../../lambda/sweep/rate-limit.js';
import { sweep } from '../../lambda/sweep/sweep.js';
import { testCertificates } from '../support/certificates.js';
import {
  countsAddUp,
  ok,
  outcomeOf,
  status,
  TOUR,
  TOUR_RANGE,
  tourScript,
} from '../support/fault-tour.js';
import {
  type FaultUpstream,
  startFaultUpstream,
  type Transport,
} from '../support/fault-upstream.js';

const TRANSPORTS: readonly Transport[] = ['h1', 'tls', 'h2'];
/** Each answer takes this long, as a real origin's would: races hide behind instant replies. */
const TOUR_LATENCY_MS = 20;

interface TourRun {
  readonly upstream: FaultUpstream;
  readonly result: SweepAggregate;
}
const tours = new Map<Transport, TourRun>();

// The three tours run at once: each waits on its own timeouts and Retry-After.
beforeAll(async () => {
  const certs = await testCertificates();
  setTestTlsOptions({ ca: certs.ca });
  await Promise.all(
    TRANSPORTS.map(async (transport) => {
      const upstream = await startFaultUpstream(tourScript, {
        transport,
        tls: certs.valid,
        latencyMs: TOUR_LATENCY_MS,
      });
      const result = await sweep({
        range: TOUR_RANGE,
        urlTemplate: upstream.urlTemplate,
        concurrency: 8,
        timeoutMs: 1_000,
        retries: 2,
      });
      tours.set(transport, { upstream, result });
    }),
  );
});
afterAll(async () => {
  setTestTlsOptions(undefined);
  await closePools();
  await Promise.all([...tours.values()].map(({ upstream }) => upstream.close()));
});

describe.each(TRANSPORTS)('sweep against a fault-injecting upstream over %s', (transport) => {
  const upstream = () => (tours.get(transport) as TourRun).upstream;
  const result = () => (tours.get(transport) as TourRun).result;

  it.each(Object.entries(TOUR))('ends id %s in its expected outcome', (id, expected) => {
    expect(outcomeOf(result(), Number(id))).toBe(expected.outcome);
    const resent = expected.resentOverH1 === true && transport !== 'h2';
    expect(upstream().attempts(Number(id))).toBe(expected.attempts + (resent ? 1 : 0));
  });

  it('counts every id exactly once and partitions the range', () => {
    expect(result().total).toBe(18);
    expect(countsAddUp(result())).toBe(18);
    expect(partitionsRange(Object.values(result().ids), TOUR_RANGE)).toBe(true);
    expect(result().complete).toBe(true);
    expect(result().statuses).toEqual({ '200': 10, '301': 1, '404': 1, '500': 1, '503': 1 });
    expect(result().errors).toMatchObject({ timeout: 2, connection: 1, protocol: 1, aborted: 0 });
  });

  it('counts attempts and retries as the upstream saw them', () => {
    const seen = Object.keys(TOUR).reduce((n, id) => n + upstream().attempts(Number(id)), 0);
    expect(result().attempts).toBe(seen);
    expect(result().resends).toBe(transport === 'h2' ? 0 : 1);
    expect(result().retries).toBe(seen - 18 - result().resends);
  });

  it('records one latency per id that ended with a status', () => {
    expect(result().latency.count).toBe(14);
  });

  it('speaks the protocol of the transport', () => {
    const versions = new Set(upstream().seen.map((r) => r.httpVersion));
    expect(versions).toEqual(new Set([transport === 'h2' ? '2.0' : '1.1']));
  });

  it('leaves no connection stuck mid-response', async () => {
    await vi.waitFor(() => expect(upstream().stuckSockets()).toBe(0), { timeout: 10_000 });
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

  it('stops when the caller aborts (Ctrl-C), leaving the ids in flight not attempted, not aborted', async () => {
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
      // Interrupted, not failed: no outcome was learnt for 1-2, and none is made up.
      expect(result.ids).toEqual({ notAttempted: '1-5' });
      expect(result.errors.aborted).toBe(0);
    } finally {
      await closePools();
      await upstream.close();
    }
  });
});

describe('sweep timers', () => {
  it('keeps the slowest rate at concurrency 256: one request, the next 100 s away', async () => {
    const upstream = await startFaultUpstream(() => ok());
    try {
      const result = await sweep({
        range: { start: 1, end: 50 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 256,
        timeoutMs: 5_000,
        retries: 0,
        ratePerSecond: MIN_RATE_PER_SECOND,
        deadline: Date.now() + 500,
      });
      expect(upstream.arrivals).toHaveLength(1);
      expect(result.notAttempted).toBe(49);
    } finally {
      await closePools();
      await upstream.close();
    }
  });

  it('runs to the end when the deadline is beyond what a Node timer holds (24.8 days)', async () => {
    const upstream = await startFaultUpstream(() => ok());
    try {
      const result = await sweep({
        range: { start: 1, end: 20 },
        urlTemplate: upstream.urlTemplate,
        concurrency: 4,
        timeoutMs: 5_000,
        retries: 0,
        deadline: Date.now() + 30 * 24 * 3_600_000,
      });
      expect(result.statuses).toEqual({ '200': 20 });
    } finally {
      await closePools();
      await upstream.close();
    }
  });
});

describe('sweep statuses', () => {
  it.each([600, 999])(
    'counts a status of %i, outside 100-599, as a protocol error',
    async (code) => {
      const upstream = await startFaultUpstream(() => status(code));
      try {
        const result = await sweep({
          range: { start: 1, end: 2 },
          urlTemplate: upstream.urlTemplate,
          concurrency: 2,
          timeoutMs: 5_000,
          retries: 0,
        });
        expect(result.ids).toEqual({ protocol: '1-2' });
      } finally {
        await closePools();
        await upstream.close();
      }
    },
  );
});

describe('sweep options', () => {
  it.each([
    [{ range: { start: 5, end: 4 } }, /range/],
    [{ concurrency: 0 }, /concurrency/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ retries: -1 }, /retries/],
    [{ ratePerSecond: 0 }, /ratePerSecond/],
    [{ ratePerSecond: 0.0001 }, /ratePerSecond must be at least 0\.01/],
    [{ ratePerSecond: 1e-300 }, /ratePerSecond/],
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
