import {
  EMF_MAX_DIMENSIONS,
  EMF_MAX_METRICS_PER_DOCUMENT,
  EMF_MAX_VALUES_PER_METRIC,
} from './limits.js';
import type { Measurement, MetricUnit } from './measurements.js';

export interface EmfOptions {
  readonly namespace: string;
  /** Dimension name → value, e.g. {Target: "pokeapi.co"}. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Epoch ms: the sweep's end. */
  readonly timestamp: number;
  readonly storageResolution: 1 | 60;
}

export interface EmfMetricDefinition {
  readonly Name: string;
  readonly Unit: MetricUnit;
  readonly StorageResolution: 1 | 60;
}

/** One Embedded Metric Format document: one log line. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: readonly EmfMetricDefinition[];
    }>;
  };
  readonly [member: string]: unknown;
}

/**
 * Pure: the measurements as EMF documents. EMF has no Counts, so a distribution's values are
 * repeated by their counts, EMF_MAX_VALUES_PER_METRIC to a document: CloudWatch Logs extracts
 * exactly the samples PutMetricData would have sent.
 */
export function* emfDocuments(
  measurements: readonly Measurement[],
  options: EmfOptions,
): Generator<EmfDocument> {
  const dimensionKeys = Object.keys(options.dimensions);
  if (dimensionKeys.length > EMF_MAX_DIMENSIONS) {
    throw new RangeError(
      `EMF takes at most ${EMF_MAX_DIMENSIONS} dimensions, got ${dimensionKeys.length}`,
    );
  }
  for (let g = 0; g < measurements.length; g += EMF_MAX_METRICS_PER_DOCUMENT) {
    const group = measurements.slice(g, g + EMF_MAX_METRICS_PER_DOCUMENT);
    const cursors = group.map((m) => ({ m, chunks: valueChunks(m) }));
    for (;;) {
      const metrics: EmfMetricDefinition[] = [];
      const members: Record<string, number | number[]> = {};
      for (const { m, chunks } of cursors) {
        const next = chunks.next();
        if (next.done) continue;
        metrics.push({ Name: m.name, Unit: m.unit, StorageResolution: options.storageResolution });
        members[m.name] = next.value.length === 1 ? (next.value[0] as number) : next.value;
      }
      if (metrics.length === 0) break;
      yield {
        _aws: {
          Timestamp: options.timestamp,
          CloudWatchMetrics: [
            { Namespace: options.namespace, Dimensions: [dimensionKeys], Metrics: metrics },
          ],
        },
        ...options.dimensions,
        ...members,
      };
    }
  }
}

/** Writes the measurements as EMF, one JSON document per line; returns the lines written. */
export function writeEmf(
  measurements: readonly Measurement[],
  options: EmfOptions,
  write: (line: string) => void,
): number {
  let lines = 0;
  for (const document of emfDocuments(measurements, options)) {
    write(`${JSON.stringify(document)}\n`);
    lines++;
  }
  return lines;
}

/** A measurement's samples, EMF_MAX_VALUES_PER_METRIC at a time. */
function* valueChunks(m: Measurement): Generator<number[]> {
  if ('value' in m) {
    yield [m.value];
    return;
  }
  let chunk: number[] = [];
  for (const { value, count } of m.values) {
    for (let i = 0; i < Math.round(count); i++) {
      chunk.push(value);
      if (chunk.length === EMF_MAX_VALUES_PER_METRIC) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}
