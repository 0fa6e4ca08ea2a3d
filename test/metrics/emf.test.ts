import { describe, expect, it } from 'vitest';
import { toDatums } from '../../lambda/metrics/datums.js';
import { emfDocuments, writeEmf } from '../../lambda/metrics/emf.js';
import { EMF_MAX_METRICS_PER_DOCUMENT } from '../../lambda/metrics/limits.js';
import { type Measurement, measure } from '../../lambda/metrics/measurements.js';
import { datumTotals, emfTotals, parseEmf, rounded } from './emf-check.js';
import { ENDED_AT, judged, knownSweep, largeSweep } from './fixtures.js';

const options = {
  namespace: 'StatusSweep',
  dimensions: { Target: 'demo.test' },
  timestamp: ENDED_AT,
  storageResolution: 60,
} as const;

function emfOf(measurements: readonly Measurement[]): string {
  let out = '';
  writeEmf(measurements, options, (line) => {
    out += line;
  });
  return out;
}

describe('EMF', () => {
  it('writes a known sweep as one document with every metric, the Target dimension and the sweep end', () => {
    const docs = parseEmf(emfOf(measure(...judged(knownSweep()))));

    expect(docs).toHaveLength(1);
    const [doc] = docs;
    expect(doc?._aws).toEqual({
      Timestamp: ENDED_AT,
      CloudWatchMetrics: [
        {
          Namespace: 'StatusSweep',
          Dimensions: [['Target']],
          Metrics: expect.arrayContaining([
            { Name: 'Requests', Unit: 'Count', StorageResolution: 60 },
            { Name: 'RequestLatency', Unit: 'Milliseconds', StorageResolution: 60 },
            { Name: 'SuccessRate', Unit: 'Percent', StorageResolution: 60 },
          ]),
        },
      ],
    });
    expect(doc).toMatchObject({ Target: 'demo.test', Requests: 10, Expected: 7, SuccessRate: 70 });
    expect(doc?.RequestLatency).toHaveLength(9);
  });

  it('repeats latency values by their counts, 100 to a document, with the same totals as PutMetricData', () => {
    const measurements = measure(...judged(largeSweep()));

    const docs = parseEmf(emfOf(measurements));

    expect(docs).toHaveLength(Math.ceil(largeSweep().latency.count / 100));
    const datums = toDatums(measurements, {
      dimensions: [{ Name: 'Target', Value: 'demo.test' }],
      timestamp: ENDED_AT,
      storageResolution: 60,
    });
    expect(rounded(emfTotals(docs))).toEqual(rounded(datumTotals(datums)));
  });

  it('splits more than 100 metrics across documents', () => {
    const many: Measurement[] = Array.from({ length: 150 }, (_, i) => ({
      name: `M${i}` as Measurement['name'],
      unit: 'Count',
      value: i,
    }));

    const docs = [...emfDocuments(many, options)];

    expect(docs.map((d) => d._aws.CloudWatchMetrics[0]?.Metrics.length)).toEqual([
      EMF_MAX_METRICS_PER_DOCUMENT,
      50,
    ]);
  });
});
