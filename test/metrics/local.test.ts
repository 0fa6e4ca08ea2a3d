import { describe, expect, it } from 'vitest';
import { formatLocalSummary } from '../../lambda/metrics/local.js';
import { configFor, judged, knownSweep } from './fixtures.js';

describe('formatLocalSummary', () => {
  it('shows the counts, the success rate and the latency percentiles a person looks for', () => {
    const text = formatLocalSummary(...judged(knownSweep()), configFor('local'));

    expect(text).toContain('StatusSweep Target=demo.test');
    expect(text).toContain(
      'verdict failed · Requests 10 · Expected 7 · Unexpected 3 · SuccessRate 70.0 %',
    );
    expect(text).toContain('2xx 6 · 3xx 1 · 4xx 1 · 5xx 1 · Errors 1 · Retries 2 · NotAttempted 2');
    expect(text).toMatch(/SweepDuration 1234 ms · RequestLatency p50 \d+(\.\d)? ms/);
    expect(text).toContain('(9 samples)');
  });
});
