import { describe, expect, it } from 'vitest';
import {
  type Measurement,
  measure,
  sampleCount,
  sweepCounts,
} from '../../lambda/metrics/measurements.js';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { ENDED_AT, KNOWN_LATENCIES, knownSweep } from './fixtures.js';

const byName = (ms: readonly Measurement[]) => Object.fromEntries(ms.map((m) => [m.name, m]));

describe('sweepCounts', () => {
  it('counts 2xx and 3xx as succeeded and 4xx, 5xx and errors as failed, leaving out ids never attempted', () => {
    const counts = sweepCounts(knownSweep());

    expect(counts).toEqual({
      requests: 10,
      succeeded: 7,
      failed: 3,
      status2xx: 6,
      status3xx: 1,
      status4xx: 1,
      status5xx: 1,
      errors: 1,
      retries: 2,
      notAttempted: 2,
      successRate: 70,
    });
  });

  it('has no success rate when nothing was attempted', () => {
    const aggregate = summarize(new Tally({ start: 1, end: 5 }), { startedAt: 0, endedAt: 10 });

    expect(sweepCounts(aggregate)).toMatchObject({
      requests: 0,
      notAttempted: 5,
      successRate: null,
    });
  });
});

describe('measure', () => {
  it('gives every metric of a known sweep with its unit', () => {
    const m = byName(measure(knownSweep()));

    expect(m).toMatchObject({
      SweepDuration: { unit: 'Milliseconds', value: 1234 },
      Requests: { unit: 'Count', value: 10 },
      Succeeded: { unit: 'Count', value: 7 },
      Failed: { unit: 'Count', value: 3 },
      Status2xx: { value: 6 },
      Status3xx: { value: 1 },
      Status4xx: { value: 1 },
      Status5xx: { value: 1 },
      Errors: { value: 1 },
      Retries: { value: 2 },
      NotAttempted: { value: 2 },
      SuccessRate: { unit: 'Percent', value: 70 },
      RequestLatency: { unit: 'Milliseconds' },
    });
  });

  it('keeps the latency distribution of the ids that got a response, within 0.5%', () => {
    const latency = measure(knownSweep()).find((m) => m.name === 'RequestLatency');
    if (latency === undefined || !('values' in latency)) throw new Error('no distribution');

    expect(sampleCount(latency)).toBe(KNOWN_LATENCIES.length);
    const expanded = latency.values.flatMap((w) => Array<number>(w.count).fill(w.value));
    expanded.forEach((v, i) => {
      expect(
        Math.abs(v - (KNOWN_LATENCIES[i] as number)) / (KNOWN_LATENCIES[i] as number),
      ).toBeLessThanOrEqual(0.005);
    });
  });

  it('leaves out SuccessRate and RequestLatency when nothing was attempted', () => {
    const aggregate = summarize(new Tally({ start: 1, end: 5 }), { startedAt: 0, endedAt: 10 });

    const names = measure(aggregate).map((m) => m.name);

    expect(names).not.toContain('SuccessRate');
    expect(names).not.toContain('RequestLatency');
    expect(names).toContain('NotAttempted');
  });

  it('never yields NaN, Infinity or a negative value (a clock that went backwards drops SweepDuration)', () => {
    const aggregate = { ...knownSweep(), startedAt: ENDED_AT + 5, retries: Number.NaN };

    const ms = measure(aggregate);

    expect(ms.map((m) => m.name)).not.toContain('SweepDuration');
    expect(ms.map((m) => m.name)).not.toContain('Retries');
    for (const m of ms) {
      const values = 'value' in m ? [m.value] : m.values.map((w) => w.value);
      for (const v of values) expect(Number.isFinite(v) && v >= 0).toBe(true);
    }
  });
});
