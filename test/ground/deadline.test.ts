import { describe, expect, it } from 'vitest';
import {
  API_SWEEP_LIMIT_MS,
  endTimesFor,
  LOCAL_METRICS_BUDGET_MS,
  metricsDeadline,
  RESPOND_RESERVE_MS,
  sweepDeadline,
} from '../../lambda/ground/deadline.js';

const NOW = 1_700_000_000_000;

/** The end times of an invocation arriving at NOW with `remainingMs` left (none outside Lambda). */
const endTimes = (remainingMs: number | undefined, api: boolean) =>
  endTimesFor(
    remainingMs === undefined ? {} : { getRemainingTimeInMillis: () => remainingMs },
    api ? 'api' : 'invoke',
    NOW,
  );

describe('sweepDeadline', () => {
  it.each([
    [
      'the remaining time less the margin',
      { remainingMs: 120_000, api: false, budget: undefined },
      117_000,
    ],
    [
      '28 s for an API call with time to spare',
      { remainingMs: 120_000, api: true, budget: undefined },
      API_SWEEP_LIMIT_MS,
    ],
    [
      'the remaining time when it is shorter than 28 s',
      { remainingMs: 10_000, api: true, budget: undefined },
      7_000,
    ],
    [
      'the caller’s budget when it is the smallest',
      { remainingMs: 120_000, api: true, budget: 5_000 },
      5_000,
    ],
    [
      'the caller’s budget outside Lambda',
      { remainingMs: undefined, api: false, budget: 900 },
      900,
    ],
    [
      '28 s for a local API call',
      { remainingMs: undefined, api: true, budget: undefined },
      API_SWEEP_LIMIT_MS,
    ],
    [
      'a time already past when less than the margin remains',
      { remainingMs: 1_000, api: false, budget: undefined },
      -2_000,
    ],
  ])('is %s', (_name, { remainingMs, api, budget }, expectedOffset) => {
    const b = endTimes(remainingMs, api);

    expect(sweepDeadline(b, budget, 3_000)).toBe(NOW + expectedOffset);
  });

  it('counts API Gateway’s 28 s from when the gateway received the request, a cold start included', () => {
    const coldStartMs = 1_500;
    const b = endTimesFor(
      { getRemainingTimeInMillis: () => 120_000, requestedAt: NOW - coldStartMs },
      'api',
      NOW,
    );

    expect(sweepDeadline(b, undefined, 3_000)).toBe(NOW - coldStartMs + API_SWEEP_LIMIT_MS);
    expect(metricsDeadline(b, NOW)).toBe(NOW - coldStartMs + 30_000 - RESPOND_RESERVE_MS);
  });

  it.each([
    ['from the future (clock skew)', NOW + 5_000],
    ['older than the gateway waits (a replayed sample event)', NOW - 86_400_000],
  ])('ignores a gateway timestamp %s and counts from arrival', (_name, requestedAt) => {
    const b = endTimesFor({ getRemainingTimeInMillis: () => 120_000, requestedAt }, 'api', NOW);

    expect(sweepDeadline(b, undefined, 3_000)).toBe(NOW + API_SWEEP_LIMIT_MS);
  });

  it('is unbounded for a local direct invoke without a budget', () => {
    const b = endTimes(undefined, false);

    expect(sweepDeadline(b, undefined, 3_000)).toBeUndefined();
  });
});

describe('metricsDeadline', () => {
  it('leaves the response its reserve before the invocation ends', () => {
    const b = endTimes(60_000, false);

    expect(metricsDeadline(b, NOW + 10_000)).toBe(NOW + 60_000 - RESPOND_RESERVE_MS);
  });

  it('ends before API Gateway’s 30 s for an API call', () => {
    const b = endTimes(120_000, true);

    expect(metricsDeadline(b, NOW + 28_000)).toBe(NOW + 30_000 - RESPOND_RESERVE_MS);
  });

  it('gives a fixed budget outside Lambda', () => {
    const b = endTimes(undefined, false);

    expect(metricsDeadline(b, NOW + 1_000)).toBe(NOW + 1_000 + LOCAL_METRICS_BUDGET_MS);
  });
});
