import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { batchDatums, datumBytes, fromDatums, toDatums } from '../../lambda/metrics/datums.js';
import {
  MAX_DATUMS_PER_REQUEST,
  MAX_VALUES_PER_DATUM,
  REQUEST_BYTES_BUDGET,
} from '../../lambda/metrics/limits.js';
import { measure } from '../../lambda/metrics/measurements.js';
import { ENDED_AT, judged, knownSweep, largeSweep } from './fixtures.js';

const options = {
  dimensions: [{ Name: 'Target', Value: 'demo.test' }],
  timestamp: ENDED_AT,
  storageResolution: 60,
} as const;

describe('toDatums', () => {
  it('stamps every datum with the sweep end, the Target dimension and the storage resolution', () => {
    const datums = toDatums(measure(...judged(knownSweep())), options);

    for (const d of datums) {
      expect(d.Timestamp).toEqual(new Date(ENDED_AT));
      expect(d.Dimensions).toEqual([{ Name: 'Target', Value: 'demo.test' }]);
      expect(d.StorageResolution).toBe(60);
    }
  });

  it('splits a wide latency distribution into datums of at most 150 values, keeping every count', () => {
    const sweep = largeSweep();

    const latency = toDatums(measure(...judged(sweep)), options).filter(
      (d) => d.MetricName === 'RequestLatency',
    );

    expect(latency.length).toBeGreaterThan(1);
    for (const d of latency) {
      expect(d.Values?.length).toBeLessThanOrEqual(MAX_VALUES_PER_DATUM);
      expect(d.Counts?.length).toBe(d.Values?.length);
      expect(new Set(d.Values).size).toBe(d.Values?.length);
    }
    const samples = latency.flatMap((d) => d.Counts ?? []).reduce((s, c) => s + c, 0);
    expect(samples).toBe(sweep.latency.count);
  });

  it('refuses more than 30 dimensions', () => {
    const dimensions = Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' }));

    expect(() => toDatums(measure(...judged(knownSweep())), { ...options, dimensions })).toThrow(
      RangeError,
    );
  });
});

describe('batchDatums', () => {
  const scalar = (i: number): MetricDatum => ({ MetricName: `M${i}`, Value: i, Unit: 'Count' });

  it('puts at most 1,000 datums in a request, in order', () => {
    const datums = Array.from({ length: 2_500 }, (_, i) => scalar(i));

    const batches = batchDatums(datums);

    expect(batches.map((b) => b.length)).toEqual([
      MAX_DATUMS_PER_REQUEST,
      MAX_DATUMS_PER_REQUEST,
      500,
    ]);
    expect(batches.flat()).toEqual(datums);
  });

  it('starts a new request before the payload would pass the size budget', () => {
    const big = (i: number): MetricDatum => ({
      MetricName: 'RequestLatency',
      Values: Array.from(
        { length: MAX_VALUES_PER_DATUM },
        (_, j) => 1_000_000.123456 + i + j / 1000,
      ),
      Counts: Array.from({ length: MAX_VALUES_PER_DATUM }, () => 123_456),
      Dimensions: [{ Name: 'Target', Value: 'x'.repeat(255) }],
    });
    const datums = Array.from({ length: 600 }, (_, i) => big(i));

    const batches = batchDatums(datums);

    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(MAX_DATUMS_PER_REQUEST);
      expect(batch.reduce((s, d) => s + datumBytes(d) + 1, 0)).toBeLessThanOrEqual(
        REQUEST_BYTES_BUDGET,
      );
    }
    expect(batches.flat()).toEqual(datums);
  });

  it('sends a 10,000-id sweep in one request: its metrics are a few dozen datums', () => {
    const datums = toDatums(measure(...judged(largeSweep())), options);

    expect(batchDatums(datums)).toHaveLength(1);
  });
});

describe('fromDatums', () => {
  it('turns datums back into the measurements they came from', () => {
    const measurements = measure(...judged(largeSweep()));

    expect(fromDatums(toDatums(measurements, options))).toEqual(measurements);
  });
});
