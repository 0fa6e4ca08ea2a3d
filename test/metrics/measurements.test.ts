import { describe, expect, it } from 'vitest';
import {
  type Measurement,
  measure,
  sampleCount,
  sweepCounts,
} from '../../lambda/metrics/measurements.js';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { compileExpectations } from '../../lambda/verdict/expectations.js';
import { judge } from '../../lambda/verdict/verdict.js';
import { ENDED_AT, judged, KNOWN_LATENCIES, knownSweep } from './fixtures.js';

const byName = (ms: readonly Measurement[]) => Object.fromEntries(ms.map((m) => [m.name, m]));

describe('sweepCounts', () => {
  it('counts by default 2xx and 3xx as expected and 4xx, 5xx and errors as unexpected, leaving out ids never attempted', () => {
    const counts = sweepCounts(...judged(knownSweep()));

    expect(counts).toEqual({
      requests: 10,
      expected: 7,
      unexpected: 3,
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

  it('rates success as the share of attempted ids that met their expectation, a 404 included when expected', () => {
    const aggregate = knownSweep();
    const verdict = judge(aggregate, compileExpectations([{ ids: '8', statuses: [404] }]), {
      failedBelowPercent: 95,
    });

    expect(sweepCounts(aggregate, verdict)).toMatchObject({
      requests: 10,
      expected: 8,
      unexpected: 2,
      successRate: 80,
    });
  });

  it('has no success rate when nothing was attempted', () => {
    const aggregate = summarize(new Tally({ start: 1, end: 5 }), { startedAt: 0, endedAt: 10 });

    expect(sweepCounts(...judged(aggregate))).toMatchObject({
      requests: 0,
      notAttempted: 5,
      successRate: null,
    });
  });
});

describe('measure', () => {
  it('gives every metric of a known sweep with its unit', () => {
    const m = byName(measure(...judged(knownSweep())));

    expect(m).toMatchObject({
      SweepDuration: { unit: 'Milliseconds', value: 1234 },
      Sweeps: { unit: 'Count', value: 1 },
      Requests: { unit: 'Count', value: 10 },
      Expected: { unit: 'Count', value: 7 },
      Unexpected: { unit: 'Count', value: 3 },
      Status2xx: { value: 6 },
      Status3xx: { value: 1 },
      Status4xx: { value: 1 },
      Status5xx: { value: 1 },
      Errors: { value: 1 },
      Retries: { value: 2 },
      NotAttempted: { value: 2 },
      SuccessRate: { unit: 'Percent', value: 70 },
      VerdictOk: { unit: 'Count', value: 0 },
      VerdictDegraded: { unit: 'Count', value: 0 },
      VerdictFailed: { unit: 'Count', value: 1 },
      RequestLatency: { unit: 'Milliseconds' },
    });
    expect(Object.keys(m)).not.toContain('Succeeded');
    expect(Object.keys(m)).not.toContain('Failed');
  });

  it.each([
    ['ok', { VerdictOk: 1, VerdictDegraded: 0, VerdictFailed: 0 }],
    ['degraded', { VerdictOk: 0, VerdictDegraded: 1, VerdictFailed: 0 }],
    ['failed', { VerdictOk: 0, VerdictDegraded: 0, VerdictFailed: 1 }],
  ] as const)('publishes 1 for a %s verdict and 0 for the two others', (verdict, expected) => {
    const [aggregate, judgedVerdict] = judged(knownSweep());

    const m = byName(measure(aggregate, { ...judgedVerdict, verdict }));

    for (const [name, value] of Object.entries(expected)) {
      expect(m[name]).toEqual({ name, unit: 'Count', value });
    }
  });

  it('keeps the latency distribution of the ids that got a response, within 0.5%', () => {
    const latency = measure(...judged(knownSweep())).find((m) => m.name === 'RequestLatency');
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

    const names = measure(...judged(aggregate)).map((m) => m.name);

    expect(names).not.toContain('SuccessRate');
    expect(names).not.toContain('RequestLatency');
    expect(names).toContain('NotAttempted');
  });

  it('never yields NaN, Infinity or a negative value (a clock that went backwards drops SweepDuration)', () => {
    const aggregate = { ...knownSweep(), startedAt: ENDED_AT + 5, retries: Number.NaN };

    const ms = measure(...judged(aggregate));

    expect(ms.map((m) => m.name)).not.toContain('SweepDuration');
    expect(ms.map((m) => m.name)).not.toContain('Retries');
    for (const m of ms) {
      const values = 'value' in m ? [m.value] : m.values.map((w) => w.value);
      for (const v of values) expect(Number.isFinite(v) && v >= 0).toBe(true);
    }
  });
});
