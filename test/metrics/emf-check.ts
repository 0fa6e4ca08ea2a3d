import { expect } from 'vitest';
import type { EmfDocument } from '../../lambda/metrics/emf.js';
import {
  EMF_MAX_DIMENSIONS,
  EMF_MAX_METRICS_PER_DOCUMENT,
  EMF_MAX_VALUES_PER_METRIC,
} from '../../lambda/metrics/limits.js';

/** Per metric name: the sum of its samples and how many there are. */
export type Totals = Record<string, { readonly sum: number; readonly samples: number }>;

/**
 * Parses stdout as EMF, one document per line, asserting each against the specification's
 * rules: a JSON object with _aws.Timestamp (epoch ms) and CloudWatchMetrics directives whose
 * dimensions and metrics all name root members, with the documented limits.
 */
export function parseEmf(stdout: string): EmfDocument[] {
  const lines = stdout.split('\n').filter((line) => line.length > 0);
  return lines.map((line) => {
    const doc = JSON.parse(line) as EmfDocument;
    expect(Number.isInteger(doc._aws.Timestamp)).toBe(true);
    expect(doc._aws.CloudWatchMetrics.length).toBeGreaterThan(0);
    for (const directive of doc._aws.CloudWatchMetrics) {
      expect(typeof directive.Namespace).toBe('string');
      for (const set of directive.Dimensions) {
        expect(set.length).toBeLessThanOrEqual(EMF_MAX_DIMENSIONS);
        for (const key of set) expect(typeof doc[key]).toBe('string');
      }
      expect(directive.Metrics.length).toBeGreaterThan(0);
      expect(directive.Metrics.length).toBeLessThanOrEqual(EMF_MAX_METRICS_PER_DOCUMENT);
      for (const metric of directive.Metrics) {
        const member = doc[metric.Name];
        const values = Array.isArray(member) ? member : [member];
        expect(values.length).toBeGreaterThan(0);
        expect(values.length).toBeLessThanOrEqual(EMF_MAX_VALUES_PER_METRIC);
        for (const v of values) expect(Number.isFinite(v) && (v as number) >= 0).toBe(true);
      }
    }
    return doc;
  });
}

export function emfTotals(docs: readonly EmfDocument[]): Totals {
  const totals: Record<string, { sum: number; samples: number }> = {};
  for (const doc of docs) {
    for (const directive of doc._aws.CloudWatchMetrics) {
      for (const { Name } of directive.Metrics) {
        const member = doc[Name] as number | number[];
        const values = Array.isArray(member) ? member : [member];
        const t = totals[Name] ?? { sum: 0, samples: 0 };
        totals[Name] = {
          sum: t.sum + values.reduce((s, v) => s + v, 0),
          samples: t.samples + values.length,
        };
      }
    }
  }
  return totals;
}

interface AnyDatum {
  readonly MetricName?: string | undefined;
  readonly Value?: number | undefined;
  readonly Values?: readonly number[] | undefined;
  readonly Counts?: readonly number[] | undefined;
}

export function datumTotals(datums: readonly AnyDatum[]): Totals {
  const totals: Record<string, { sum: number; samples: number }> = {};
  for (const d of datums) {
    const name = d.MetricName ?? '?';
    const t = totals[name] ?? { sum: 0, samples: 0 };
    if (d.Value !== undefined) {
      totals[name] = { sum: t.sum + d.Value, samples: t.samples + 1 };
      continue;
    }
    const values = d.Values ?? [];
    const counts = d.Counts ?? values.map(() => 1);
    totals[name] = {
      sum: t.sum + values.reduce((s, v, i) => s + v * (counts[i] ?? 1), 0),
      samples: t.samples + counts.reduce((s, c) => s + c, 0),
    };
  }
  return totals;
}

/** Totals compared with float sums rounded (a sum of repeated values drifts in the last bits). */
export function rounded(totals: Totals): Totals {
  return Object.fromEntries(
    Object.entries(totals).map(([k, t]) => [
      k,
      { sum: Math.round(t.sum * 1000) / 1000, samples: t.samples },
    ]),
  );
}
