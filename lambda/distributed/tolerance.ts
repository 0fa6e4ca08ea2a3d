/**
 * How many shards may fail for good before a run fails: the Distributed Map's
 * ToleratedFailurePercentage, which the state machine is synthesized with and the local executor
 * applies with the same arithmetic, so that a run ends the same way in both.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html#maprun-fail-threshold
 */
export const TOLERATED_FAILURE_PERCENTAGE = 10;

/** The error a run's execution fails with when more shards failed than tolerated. */
export const TOLERANCE_EXCEEDED_ERROR = 'States.ExceedToleratedFailureThreshold';

/**
 * True when `failed` of `total` shards fail the Map Run: Step Functions fails it once the failed
 * (or timed out) items exceed the percentage of all items, so with fewer than 10 shards at 10 %,
 * one failed shard fails the run.
 */
export function exceedsTolerance(
  failed: number,
  total: number,
  percentage: number = TOLERATED_FAILURE_PERCENTAGE,
): boolean {
  return total > 0 && (failed / total) * 100 > percentage;
}
