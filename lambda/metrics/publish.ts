import type { Config } from '../config.js';
import type { SweepAggregate } from '../sweep/aggregate.js';

/** What happened to a sweep's metrics: goes into the response's `metrics` field. */
export interface MetricsReport {
  readonly status: 'published' | 'fallback' | 'off' | 'local';
  /** PutMetricData requests that CloudWatch accepted. */
  readonly requests: number;
  /** Metric datums published (CloudWatch) or written (EMF, local). */
  readonly datums: number;
  /** Why the metrics fell back to EMF. */
  readonly reason?: string;
}

export interface PublishContext {
  readonly config: Config;
  /** Epoch ms by which publishing must be done. */
  readonly deadline: number;
}

/** Publishes a sweep's metrics per config.metricsMode; never throws. (Work in progress.) */
export async function publishMetrics(
  _aggregate: SweepAggregate,
  _context: PublishContext,
): Promise<MetricsReport> {
  return { status: 'off', requests: 0, datums: 0 };
}
