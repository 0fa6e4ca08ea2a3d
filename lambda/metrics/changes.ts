import { type Measurement, MetricUnit } from './measurements.js';
import { MetricName } from './names.js';

/** What the metrics need of a sweep's changes since its baseline. */
export interface ChangeCounts {
  readonly newlyUnexpected: { readonly count: number };
  readonly recovered: { readonly count: number };
}

/** Pure: NewlyUnexpected and Recovered, published only when the sweep had a baseline. */
export function changeMeasurements(changes: ChangeCounts | null | undefined): Measurement[] {
  if (!changes) return [];
  return [
    {
      name: MetricName.newlyUnexpected,
      unit: MetricUnit.count,
      value: changes.newlyUnexpected.count,
    },
    { name: MetricName.recovered, unit: MetricUnit.count, value: changes.recovered.count },
  ];
}
