import type { MetricsReport } from './metrics/publish.js';
import type { Trigger } from './options.js';
import type { FailedShard } from './sweep/aggregate.js';
import type { ErrorSamples } from './sweep/error-samples.js';
import type { LatencySummary } from './sweep/histogram.js';
import type { ErrorKind } from './sweep/outcome.js';
import type { IdRange } from './sweep/range.js';

/** The public contract: what an API caller gets as JSON and a schedule or invoke returns. */
export interface SweepResponse {
  readonly sweepId: string;
  readonly trigger: Trigger;
  /** The configured target's name (TARGET_NAME), also the metrics dimension. */
  readonly target: string;
  readonly range: IdRange;
  readonly total: number;
  readonly complete: boolean;
  readonly statuses: Readonly<Record<string, number>>;
  /** Every error kind, zero included. */
  readonly errors: Readonly<Record<ErrorKind, number>>;
  /**
   * Per error kind that ended ids, up to three distinct messages (`read ECONNRESET`); never a
   * stack, a URL or a header value. Empty when no id ended in an error.
   */
  readonly errorSamples: ErrorSamples;
  readonly notAttempted: number;
  readonly ids: Readonly<Record<string, string>>;
  /** Of the ids that ended with an HTTP status; null when none did. */
  readonly latencyMs: LatencySummary | null;
  readonly attempts: number;
  readonly retries: number;
  readonly durationMs: number;
  readonly metrics: MetricsReport;
  /** Distributed sweeps: shards that failed for good, with their ranges (ids not attempted). */
  readonly failedShards?: readonly FailedShard[];
}
