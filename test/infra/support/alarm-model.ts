/**
 * A model of CloudWatch metric alarm evaluation, as documented in "Evaluating an alarm" and
 * "Configuring how CloudWatch alarms treat missing data" (including "Avoiding premature
 * transitions to alarm state"). Times are in seconds.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 */
import {
  evaluateExpression,
  type MetricStore,
  type Series,
  type Statistic,
} from './metric-model.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';
export type Comparison =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export interface AlarmRule {
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
}

/** A metric (key and statistic) or an expression over the other queries' ids. */
export interface MetricQuery {
  readonly id: string;
  readonly metric?: { readonly key: string; readonly statistic: Statistic };
  readonly expression?: string;
  readonly returnData: boolean;
}
export interface AlarmDefinition extends AlarmRule {
  readonly period: number;
  readonly queries: readonly MetricQuery[];
}

const breaches = (value: number, rule: AlarmRule): boolean => {
  switch (rule.comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= rule.threshold;
    case 'GreaterThanThreshold':
      return value > rule.threshold;
    case 'LessThanThreshold':
      return value < rule.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= rule.threshold;
  }
};

/**
 * The next state from the datapoints of the evaluation range, newest first: the most recent
 * `evaluationPeriods` real datapoints when the range holds that many (missing data treatment
 * unused); otherwise every real datapoint plus as few filled ones as needed.
 */
export function evaluateRange(range: Series, rule: AlarmRule, current: AlarmState): AlarmState {
  const { evaluationPeriods: n, datapointsToAlarm: m } = rule;
  const real = range.flatMap((value, age) => (value === undefined ? [] : [{ value, age }]));
  const breaching = real.filter((p) => breaches(p.value, rule));
  if (real.length >= n) {
    const recent = real.slice(0, n).filter((p) => breaches(p.value, rule));
    return recent.length >= m ? 'ALARM' : 'OK';
  }
  const shortfall = n - real.length;
  switch (rule.treatMissingData) {
    case 'breaching':
      return breaching.length + shortfall >= m ? 'ALARM' : 'OK';
    case 'notBreaching':
      return breaching.length >= m ? 'ALARM' : 'OK';
    case 'missing':
    case 'ignore': {
      if (real.length === 0)
        return rule.treatMissingData === 'ignore' ? current : 'INSUFFICIENT_DATA';
      if (breaching.length >= m) return 'ALARM';
      // Premature-transition rule: the oldest datapoint is breaching, at least M periods old, and
      // every more recent one breaching or missing. `ignore` keeps its state instead.
      const oldest = real.at(-1);
      const premature =
        oldest !== undefined && breaching.length === real.length && oldest.age + 1 >= m;
      if (!premature) return 'OK';
      return rule.treatMissingData === 'missing' ? 'ALARM' : current;
    }
  }
}

/** How the period buckets line up: ending at each evaluation minute, or at multiples of the period. */
export type Alignment = 'sliding' | 'period';

export interface SimulationOptions {
  readonly from: number;
  readonly to: number;
  readonly alignment: Alignment;
  /**
   * Periods CloudWatch retrieves beyond EvaluationPeriods ("a higher number of data points than
   * Evaluation Periods"; 2 in the documented examples). @default 2
   */
  readonly extraRangePeriods?: number;
  /** @default 'INSUFFICIENT_DATA', the state of a new alarm */
  readonly initial?: AlarmState;
}
export interface Transition {
  readonly time: number;
  readonly state: AlarmState;
}

/** The alarm's values over its evaluation range ending at `end`, newest first. */
export function rangeValues(
  alarm: AlarmDefinition,
  store: MetricStore,
  end: number,
  size: number,
): Series {
  const bucket = (age: number): [number, number] => [
    end - (age + 1) * alarm.period,
    end - age * alarm.period,
  ];
  const series: Record<string, Series> = {};
  for (const q of alarm.queries) {
    if (q.metric === undefined) continue;
    const { key, statistic } = q.metric;
    series[q.id] = Array.from({ length: size }, (_, age) =>
      store.statistic(key, statistic, ...bucket(age)),
    );
  }
  const returned = alarm.queries.filter((q) => q.returnData);
  const [answer] = returned;
  if (answer === undefined || returned.length > 1) throw new Error('an alarm returns one query');
  if (answer.expression === undefined) return series[answer.id] ?? [];
  return evaluateExpression(answer.expression, series);
}

/**
 * Evaluates the alarm every minute (every period for high-resolution periods) from `from` to `to`
 * and returns its state changes, the first being its state at `from`. Evaluations that would see
 * the same buckets as the previous one are skipped: they cannot change the state.
 */
export function simulate(
  alarm: AlarmDefinition,
  store: MetricStore,
  options: SimulationOptions,
): Transition[] {
  const step = Math.min(alarm.period, 60);
  const size = alarm.evaluationPeriods + (options.extraRangePeriods ?? 2);
  const transitions: Transition[] = [];
  let state: AlarmState = options.initial ?? 'INSUFFICIENT_DATA';
  for (const t of evaluationTimes(alarm, store, options, step, size)) {
    const end = options.alignment === 'period' ? Math.floor(t / alarm.period) * alarm.period : t;
    state = evaluateRange(rangeValues(alarm, store, end, size), alarm, state);
    if (transitions.at(-1)?.state !== state) transitions.push({ time: t, state });
  }
  return transitions;
}

/**
 * The evaluation times at which the buckets can differ from the previous evaluation's: the first,
 * then each time a datum enters a bucket or leaves the range (sliding), or each new period end.
 */
function evaluationTimes(
  alarm: AlarmDefinition,
  store: MetricStore,
  options: SimulationOptions,
  step: number,
  size: number,
): number[] {
  const first = Math.floor(options.from / step) * step;
  const times = new Set([first]);
  if (options.alignment === 'period') {
    for (
      let t = Math.ceil(first / alarm.period) * alarm.period;
      t <= options.to;
      t += alarm.period
    ) {
      times.add(t);
    }
  } else {
    for (const q of alarm.queries) {
      for (const d of q.metric ? store.times(q.metric.key) : []) {
        for (let age = 0; age <= size; age++) {
          const t = (Math.floor((d + age * alarm.period) / step) + 1) * step;
          if (t > first && t <= options.to) times.add(t);
        }
      }
    }
  }
  return [...times].sort((a, b) => a - b);
}
