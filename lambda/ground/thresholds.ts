/** The deployment's thresholds (VERDICT_FAILED_BELOW_PERCENT, VERDICT_MAX_P95_MS). */
export interface VerdictThresholds {
  /** Below this percentage of attempted ids meeting their expectation, the sweep failed. */
  readonly failedBelowPercent: number;
  /** Above this p95 latency (ids that got a status), the sweep is degraded. @default - no bound */
  readonly maxP95Ms?: number;
}
