import { describe, expect, it } from 'vitest';
import {
  type AlarmDefinition,
  type AlarmRule,
  type AlarmState,
  evaluateRange,
  simulate,
  type TreatMissingData,
} from './support/alarm-model.js';
import { compositeActions } from './support/composite-model.js';
import { evaluateExpression, MetricStore, metricKey } from './support/metric-model.js';

/** The documented notation, oldest first: 0 not breaching, X breaching, - missing. */
const range = (points: string) =>
  points
    .split(' ')
    .map((p) => (p === '-' ? undefined : p === 'X' ? 1 : 0))
    .reverse();
const rule = (m: number, treatMissingData: TreatMissingData): AlarmRule => ({
  threshold: 1,
  comparison: 'GreaterThanOrEqualToThreshold',
  evaluationPeriods: 3,
  datapointsToAlarm: m,
  treatMissingData,
});
const TREATMENTS = ['missing', 'ignore', 'breaching', 'notBreaching'] as const;
/** Each row: data points, then the state for missing, ignore, breaching, notBreaching. */
type Row = [string, string, string, string, string];

/** The state for every treatment, with "retain" checked from two different current states. */
function states(points: string, m: number): string[] {
  return TREATMENTS.map((treat) => {
    const from = (current: AlarmState) => evaluateRange(range(points), rule(m, treat), current);
    return from('OK') === 'OK' && from('ALARM') === 'ALARM' ? 'retain' : from('OK');
  });
}

// "Configuring how CloudWatch alarms treat missing data", section "How alarm state is evaluated
// when data is missing": evaluation range 5, Evaluation Periods 3.
describe('the alarm model reproduces the documented missing-data tables', () => {
  it.each<Row>([
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - X - -', 'ALARM', 'retain', 'ALARM', 'OK'],
  ])('3 of 3: %s gives %s / %s / %s / %s', (points, ...expected) => {
    expect(states(points, 3)).toEqual(expected);
  });

  it.each<Row>([
    ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - X -', 'ALARM', 'retain', 'ALARM', 'OK'],
  ])('2 of 3: %s gives %s / %s / %s / %s', (points, ...expected) => {
    expect(states(points, 2)).toEqual(expected);
  });

  it('does not alarm prematurely on one recent breaching point (premature-transition rule)', () => {
    expect(evaluateRange(range('- - - - X'), rule(3, 'missing'), 'OK')).toBe('OK');
    expect(evaluateRange(range('- - - X -'), rule(3, 'missing'), 'OK')).toBe('OK');
  });
});

describe('the metric model', () => {
  const key = metricKey('NS', 'M', { Target: 't' });
  const store = new MetricStore([
    { key, time: 0, value: 2 },
    { key, time: 59, value: 4 },
    { key, time: 60, value: 9 },
  ]);

  it('computes Sum, Average, SampleCount, Maximum and Minimum over [from, to)', () => {
    expect(
      (['Sum', 'Average', 'SampleCount', 'Maximum', 'Minimum'] as const).map((s) =>
        store.statistic(key, s, 0, 60),
      ),
    ).toEqual([6, 3, 2, 4, 2]);
    expect(store.statistic(key, 'Sum', 60, 120)).toBe(9);
    expect(store.statistic(key, 'Sum', 120, 180)).toBeUndefined();
  });

  it('keys a metric by namespace, name and dimensions in any order', () => {
    expect(metricKey('NS', 'M', { b: '2', a: '1' })).toBe(metricKey('NS', 'M', { a: '1', b: '2' }));
  });

  it('evaluates metric math bucket by bucket; a missing operand or division by zero is missing', () => {
    const result = evaluateExpression('100 * e / (e + u)', {
      e: [9, 0, undefined, 3],
      u: [1, 0, 2, undefined],
    });
    expect(result).toEqual([90, undefined, undefined, undefined]);
  });

  it('fills a series that has data in the range, and returns nothing for one without', () => {
    expect(
      evaluateExpression('FILL(a, 0) + FILL(b, 0)', { a: [1, undefined], b: [undefined, 2] }),
    ).toEqual([1, 2]);
    expect(evaluateExpression('FILL(a, 0)', { a: [undefined, undefined] })).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('refuses metric math it does not model', () => {
    expect(() => evaluateExpression('RATE(a)', { a: [1] })).toThrow(/RATE/);
  });
});

describe('the alarm simulation', () => {
  const key = metricKey('NS', 'Beat', {});
  const heartbeat = (treatMissingData: TreatMissingData): AlarmDefinition => ({
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 1,
    comparison: 'LessThanThreshold',
    treatMissingData,
    queries: [{ id: 'm', metric: { key, statistic: 'Sum' }, returnData: true }],
  });
  const store = new MetricStore([{ key, time: 290, value: 1 }]);

  it('with breaching missing data, alarms only once the whole evaluation range is empty', () => {
    // N = 1 period of 300 s, range N + 2: the datum at 290 s keeps it OK until 290 + 3 × 300.
    const transitions = simulate(heartbeat('breaching'), store, {
      from: 300,
      to: 3000,
      alignment: 'sliding',
    });
    expect(transitions).toEqual([
      { time: 300, state: 'OK' },
      { time: 1200, state: 'ALARM' },
    ]);
  });

  it('aligns buckets to the evaluation minute or to multiples of the period', () => {
    const late = new MetricStore([{ key, time: 310, value: 1 }]);
    const any: AlarmDefinition = {
      ...heartbeat('notBreaching'),
      comparison: 'GreaterThanOrEqualToThreshold',
    };
    const options = { from: 0, to: 3000, extraRangePeriods: 0 };
    expect(simulate(any, late, { ...options, alignment: 'sliding' })).toEqual([
      { time: 0, state: 'OK' },
      { time: 360, state: 'ALARM' },
      { time: 660, state: 'OK' },
    ]);
    expect(simulate(any, late, { ...options, alignment: 'period' })).toEqual([
      { time: 0, state: 'OK' },
      { time: 600, state: 'ALARM' },
      { time: 900, state: 'OK' },
    ]);
  });
});

describe('the composite model (actions suppressor)', () => {
  const suppression = { waitPeriod: 120, extensionPeriod: 120 };
  const t = (time: number, state: AlarmState) => ({ time, state });

  it('acts on each change of its child when nothing suppresses it, an ALARM after the wait period', () => {
    const child = [t(0, 'OK'), t(600, 'ALARM'), t(1200, 'OK')];
    expect(compositeActions(child, [t(0, 'OK')], suppression)).toEqual([
      { time: 720, state: 'ALARM' },
      { time: 1200, state: 'OK' },
    ]);
  });

  it('is suppressed when the suppressor goes into ALARM within the wait period, and acts after the extension if still in ALARM', () => {
    const child = [t(0, 'OK'), t(600, 'ALARM')];
    const suppressor = [t(0, 'OK'), t(660, 'ALARM'), t(3000, 'OK')];
    expect(compositeActions(child, suppressor, suppression)).toEqual([
      { time: 3120, state: 'ALARM' },
    ]);
  });

  it('says nothing of an ALARM that ended while suppressed', () => {
    const child = [t(0, 'OK'), t(600, 'ALARM'), t(1800, 'OK')];
    const suppressor = [t(0, 'OK'), t(600, 'ALARM'), t(3000, 'OK')];
    expect(compositeActions(child, suppressor, suppression)).toEqual([]);
  });
});
