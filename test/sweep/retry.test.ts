import { describe, expect, it } from 'vitest';
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  backoffMs,
  RETRY_AFTER_CAP_MS,
  retryAfterMs,
} from '../../lambda/sweep/retry.js';

describe('backoff', () => {
  it.each([
    [1, BACKOFF_BASE_MS],
    [2, BACKOFF_BASE_MS * 2],
    [4, BACKOFF_BASE_MS * 8],
    [30, BACKOFF_CAP_MS],
  ])('waits at most the exponential ceiling before retry %i (%i ms)', (retry, ceiling) => {
    expect(backoffMs(retry, () => 0.999_999)).toBeLessThanOrEqual(ceiling);
    expect(backoffMs(retry, () => 0.999_999)).toBeGreaterThanOrEqual(ceiling - 1);
    expect(backoffMs(retry, () => 0)).toBe(0);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it.each([
    ['2', 2_000],
    ['0', 0],
    [' 3 ', 3_000],
    ['Wed, 25 Nov 2026 12:00:05 GMT', 5_000],
    ['Wed, 25 Nov 2026 11:00:00 GMT', 0],
    ['86400', RETRY_AFTER_CAP_MS],
    [['1', '9'], 1_000],
  ])('reads %j as %i ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });

  it.each([undefined, '', 'soon', '-5', '1.5'])('ignores %j', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });
});
