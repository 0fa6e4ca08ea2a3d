import type { Dimension, MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { WeightedValue } from '../sweep/data.js';
import {
  MAX_DATUMS_PER_REQUEST,
  MAX_DIMENSIONS_PER_DATUM,
  MAX_VALUES_PER_DATUM,
  REQUEST_BYTES_BUDGET,
} from './limits.js';
import type { Measurement, MetricUnit } from './measurements.js';
import type { MetricName } from './names.js';

export interface DatumOptions {
  readonly dimensions: readonly Dimension[];
  /** Epoch ms: the sweep's end. */
  readonly timestamp: number;
  readonly storageResolution: 1 | 60;
}

/**
 * Pure: measurements as PutMetricData datums. A scalar is one datum with `Value`; a distribution
 * is one datum per MAX_VALUES_PER_DATUM entries with `Values`/`Counts`, so CloudWatch keeps every
 * sample and computes true percentiles across sweeps.
 */
export function toDatums(
  measurements: readonly Measurement[],
  options: DatumOptions,
): MetricDatum[] {
  if (options.dimensions.length > MAX_DIMENSIONS_PER_DATUM) {
    throw new RangeError(
      `a datum takes at most ${MAX_DIMENSIONS_PER_DATUM} dimensions, got ${options.dimensions.length}`,
    );
  }
  const common = {
    Dimensions: [...options.dimensions],
    Timestamp: new Date(options.timestamp),
    StorageResolution: options.storageResolution,
  };
  const out: MetricDatum[] = [];
  for (const m of measurements) {
    if ('value' in m) {
      out.push({ MetricName: m.name, Unit: m.unit, Value: m.value, ...common });
      continue;
    }
    for (let i = 0; i < m.values.length; i += MAX_VALUES_PER_DATUM) {
      const chunk = m.values.slice(i, i + MAX_VALUES_PER_DATUM);
      out.push({
        MetricName: m.name,
        Unit: m.unit,
        Values: chunk.map((w) => w.value),
        Counts: chunk.map((w) => w.count),
        ...common,
      });
    }
  }
  return out;
}

export interface BatchLimits {
  readonly maxDatums: number;
  readonly maxBytes: number;
}

export const PUT_METRIC_DATA_LIMITS: BatchLimits = {
  maxDatums: MAX_DATUMS_PER_REQUEST,
  maxBytes: REQUEST_BYTES_BUDGET,
};

/**
 * Pure: datums grouped into requests, in order, each within the datum count and payload size
 * limits. Sizes are the datum's JSON length, an overestimate of its AWS JSON 1.0 form (the
 * timestamp goes as epoch seconds there, as an ISO string here).
 */
export function batchDatums(
  datums: readonly MetricDatum[],
  limits: BatchLimits = PUT_METRIC_DATA_LIMITS,
): MetricDatum[][] {
  const batches: MetricDatum[][] = [];
  let current: MetricDatum[] = [];
  let bytes = 0;
  for (const datum of datums) {
    const size = datumBytes(datum) + 1;
    if (
      current.length > 0 &&
      (current.length >= limits.maxDatums || bytes + size > limits.maxBytes)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(datum);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The UTF-8 length of a datum's JSON form. */
export function datumBytes(datum: MetricDatum): number {
  return Buffer.byteLength(JSON.stringify(datum));
}

/**
 * Pure: datums back into measurements, in order; what is left to deliver another way when
 * CloudWatch accepted only some of the requests.
 */
export function fromDatums(datums: readonly MetricDatum[]): Measurement[] {
  const out: Measurement[] = [];
  const distributions = new Map<string, WeightedValue[]>();
  for (const d of datums) {
    const name = d.MetricName as MetricName;
    const unit = d.Unit as MetricUnit;
    if (d.Value !== undefined) {
      out.push({ name, unit, value: d.Value });
      continue;
    }
    let values = distributions.get(name);
    if (values === undefined) {
      values = [];
      distributions.set(name, values);
      out.push({ name, unit, values });
    }
    const counts = d.Counts ?? [];
    (d.Values ?? []).forEach((value, i) => {
      values.push({ value, count: counts[i] ?? 1 });
    });
  }
  return out;
}
