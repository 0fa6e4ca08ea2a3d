import { Duration } from 'aws-cdk-lib';

/**
 * PutMetricAlarm's `Period`: 10, 20, 30 or any multiple of 60 seconds.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export const ALARM_PERIOD_STEP = Duration.minutes(1);
/**
 * PutMetricAlarm: Period × EvaluationPeriods is at most 7 days (604,800 s), and at most 1 day
 * (86,400 s) for periods under 1 hour.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export const MAX_EVALUATION_RANGE = Duration.days(7);
export const MAX_EVALUATION_RANGE_SHORT_PERIODS = Duration.days(1);
export const SHORT_PERIOD_BELOW = Duration.hours(1);
/**
 * How much later than its firing a scheduled sweep may publish: Scheduler fires within 60 s of the
 * scheduled time, a sweep runs up to ~2 minutes, then publishes; the rest is margin.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html
 */
export const DEFAULT_SWEEP_LATENESS = Duration.minutes(5);
/** A missed-sweep window is cut into at most this many periods (a design choice, not a limit). */
const MAX_WINDOW_PERIODS = 60;

/** How a missed-sweep alarm watches one schedule's `Sweeps`. */
export interface MissedSweepCadence {
  readonly period: Duration;
  readonly evaluationPeriods: number;
  /**
   * `true`: the alarm reads FILL(sweeps, 0), so it fires when the last `evaluationPeriods` periods
   * are all empty (exactly the window). `false` (gaps longer than CloudWatch's evaluation range
   * allows): it reads the raw metric with missing data breaching, so it fires only when its whole
   * evaluation range, documented as more than `evaluationPeriods` periods, holds no sweep.
   */
  readonly fill: boolean;
  /** No sweep for this long alarms, at the soonest. */
  readonly window: Duration;
}

/**
 * The missed-sweep alarm for a schedule whose firings are at most `gap` apart and whose sweeps
 * publish up to `lateness` after firing: twice the gap, and never less than gap + lateness so a
 * late sweep cannot alarm; `undefined` when not even CloudWatch's longest evaluation range can
 * outlast gap + lateness.
 */
export function missedSweepCadence(
  gap: Duration,
  lateness: Duration,
): MissedSweepCadence | undefined {
  const longestQuiet = gap.toSeconds() + lateness.toSeconds();
  const window = Math.max(2 * gap.toSeconds(), longestQuiet);
  const step = ALARM_PERIOD_STEP.toSeconds();
  let period = step * Math.ceil(window / (step * MAX_WINDOW_PERIODS));
  if (Math.ceil(window / period) * period > MAX_EVALUATION_RANGE_SHORT_PERIODS.toSeconds()) {
    period = Math.max(period, SHORT_PERIOD_BELOW.toSeconds());
  }
  const evaluationPeriods = Math.ceil(window / period);
  if (evaluationPeriods * period <= maxEvaluationRange(period)) {
    return shape(period, evaluationPeriods, true, evaluationPeriods * period);
  }
  // Beyond 7 days: the raw metric, breaching when missing, outlasts the longest quiet spell
  // with the one extra period CloudWatch always looks back ("a higher number of data points than
  // Evaluation Periods", see "Configuring how CloudWatch alarms treat missing data").
  for (let hours = 1; hours <= MAX_EVALUATION_RANGE.toHours(); hours++) {
    const p = Duration.hours(hours).toSeconds();
    const n = Math.floor(MAX_EVALUATION_RANGE.toSeconds() / p);
    if ((n + 1) * p >= longestQuiet) return shape(p, n, false, (n + 1) * p);
  }
  return undefined;
}

/** The longest Period × EvaluationPeriods PutMetricAlarm accepts for this period (seconds). */
export function maxEvaluationRange(periodSeconds: number): number {
  return periodSeconds < SHORT_PERIOD_BELOW.toSeconds()
    ? MAX_EVALUATION_RANGE_SHORT_PERIODS.toSeconds()
    : MAX_EVALUATION_RANGE.toSeconds();
}

function shape(
  period: number,
  evaluationPeriods: number,
  fill: boolean,
  window: number,
): MissedSweepCadence {
  return {
    period: Duration.seconds(period),
    evaluationPeriods,
    fill,
    window: Duration.seconds(window),
  };
}
