import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, RELATIVE_ACCURACY } from '../../lambda/sweep/histogram.js';

/** The exact quantile with DDSketch's rank convention: the value at rank floor(q·(n−1)). */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

const latencies = fc.array(fc.double({ min: 0.05, max: 60_000, noNaN: true }), {
  minLength: 1,
  maxLength: 2_000,
});

describe('latency histogram', () => {
  it('states a relative error bound within the 1% the contract allows', () => {
    expect(RELATIVE_ACCURACY).toBeLessThanOrEqual(0.01);
  });

  it('reports every quantile within its relative error bound of the exact value', () => {
    fc.assert(
      fc.property(latencies, (values) => {
        const histogram = new LatencyHistogram();
        const rounded = values.map((v) => Math.round(v * 1000) / 1000);
        for (const v of rounded) histogram.record(v);
        const sorted = [...rounded].sort((a, b) => a - b);
        for (const q of [0, 0.5, 0.9, 0.95, 0.99, 1]) {
          const exact = exactQuantile(sorted, q);
          const estimate = histogram.quantile(q);
          expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(exact * RELATIVE_ACCURACY + 1e-9);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps min, max and mean exact', () => {
    const histogram = new LatencyHistogram();
    for (const v of [12.5, 400, 3.25]) histogram.record(v);
    expect(histogram.summary()).toMatchObject({ min: 3.25, max: 400, mean: 138.58 });
  });

  it('summarizes nothing as null', () => {
    expect(new LatencyHistogram().summary()).toBeNull();
  });

  it('merges into exactly the histogram of all values, in any order', () => {
    fc.assert(
      fc.property(latencies, latencies, (a, b) => {
        const whole = new LatencyHistogram();
        for (const v of [...a, ...b]) whole.record(v);
        const left = new LatencyHistogram();
        for (const v of a) left.record(v);
        const right = new LatencyHistogram();
        for (const v of b) right.record(v);
        expect(LatencyHistogram.fromJSON(right.toJSON()).merge(left).toJSON()).toEqual(
          whole.toJSON(),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('survives a JSON round trip', () => {
    const histogram = new LatencyHistogram();
    for (const v of [0, 0.0004, 1, 2, 2, 30_000]) histogram.record(v);
    const copy = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(histogram)));
    expect(copy.toJSON()).toEqual(histogram.toJSON());
  });

  it('refuses to merge a histogram of another accuracy', () => {
    const other = { ...new LatencyHistogram().toJSON(), relativeAccuracy: 0.02, count: 1 };
    expect(() => new LatencyHistogram().merge(other)).toThrow(/relative accuracy/);
  });

  it('gives weighted values whose counts sum to the count, ascending', () => {
    const histogram = new LatencyHistogram();
    for (const v of [0, 5, 5.01, 100, 101, 102, 5000]) histogram.record(v);
    const values = histogram.weightedValues();
    expect(values.reduce((n, w) => n + w.count, 0)).toBe(7);
    expect(values.map((w) => w.value)).toEqual(
      [...values.map((w) => w.value)].sort((a, b) => a - b),
    );
    expect(values[0]).toEqual({ value: 0, count: 1 });
  });
});
