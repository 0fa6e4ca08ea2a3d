import { describe, expect, it } from 'vitest';
import {
  API_SWEEP_LIMIT_MS,
  budgetOf,
  LOCAL_METRICS_BUDGET_MS,
  metricsDeadline,
  RESPOND_RESERVE_MS,
  sweepDeadline,
} from '../../lambda/deadline.js';

const NOW = 1_700_000_000_000;

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
    const b = budgetOf({ now: NOW, remainingMs, viaApiGateway: api });

    expect(sweepDeadline(b, budget, 3_000)).toBe(NOW + expectedOffset);
  });

  it('is unbounded for a local direct invoke without a budget', () => {
    const b = budgetOf({ now: NOW, viaApiGateway: false });

    expect(sweepDeadline(b, undefined, 3_000)).toBeUndefined();
  });
});

describe('metricsDeadline', () => {
  it('leaves the response its reserve before the invocation ends', () => {
    const b = budgetOf({ now: NOW, remainingMs: 60_000, viaApiGateway: false });

    expect(metricsDeadline(b, NOW + 10_000)).toBe(NOW + 60_000 - RESPOND_RESERVE_MS);
  });

  it('ends before API Gateway’s 30 s for an API call', () => {
    const b = budgetOf({ now: NOW, remainingMs: 120_000, viaApiGateway: true });

    expect(metricsDeadline(b, NOW + 28_000)).toBe(NOW + 30_000 - RESPOND_RESERVE_MS);
  });

  it('gives a fixed budget outside Lambda', () => {
    const b = budgetOf({ now: NOW, viaApiGateway: false });

    expect(metricsDeadline(b, NOW + 1_000)).toBe(NOW + 1_000 + LOCAL_METRICS_BUDGET_MS);
  });
});
