import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  ALARM_PERIOD_STEP,
  DEFAULT_SWEEP_LATENESS,
  maxEvaluationRange,
  missedSweepCadence,
} from '../../infra/constructs/alarm-cadence.js';
import { longestGap } from '../../infra/constructs/schedule-interval.js';

const minutes = (expression: string, timeZone?: string) =>
  longestGap(expression, timeZone)?.toMinutes();

describe('the longest gap between two firings of a schedule', () => {
  it.each([
    ['rate(1 minute)', 1],
    ['rate(15 minutes)', 15],
    ['rate(2 hours)', 120],
    ['rate(1 day)', 1440],
    ['cron(0/15 * * * ? *)', 15],
    ['cron(*/10 * * * ? *)', 10],
    ['cron(0 6 * * ? *)', 1440],
    ['cron(0 9-17 * * ? *)', 16 * 60],
    ['cron(0,30 8 * * ? *)', 1440 - 30],
    ['cron(0 9 ? * MON-FRI *)', 3 * 1440],
    ['cron(0 6 ? * MON *)', 7 * 1440],
    ['cron(0 6 ? * 2 *)', 7 * 1440],
    ['cron(0 6 ? * SUN,WED *)', 4 * 1440],
  ])('%s: %i minutes', (expression, expected) => {
    expect(minutes(expression)).toBe(expected);
  });

  it('adds an hour to a cron in a time zone with daylight saving time, not to a rate', () => {
    expect(minutes('cron(0 6 ? * MON *)', 'Europe/Paris')).toBe(7 * 1440 + 60);
    expect(minutes('cron(0 6 ? * MON *)', 'UTC')).toBe(7 * 1440);
    expect(minutes('rate(1 hour)', 'Europe/Paris')).toBe(60);
  });

  it.each([
    'cron(0 6 1 * ? *)',
    'cron(0 6 ? 1 MON *)',
    'cron(0 6 ? * 6L *)',
    'cron(0 6 ? * MON#1 *)',
    'cron(0 6 * * ? 2030)',
  ])('cannot bound %s by a week', (expression) => {
    expect(longestGap(expression)).toBeUndefined();
  });

  it.each([
    ['cron(0 6 * *)', /6 fields/],
    ['cron(61 6 * * ? *)', /"61" is not in 0-59/],
    ['at(2030-01-01T00:00:00)', /not a rate\(\) or cron\(\)/],
  ])('refuses %s', (expression, message) => {
    expect(() => longestGap(expression)).toThrow(message);
  });
});

describe('the missed-sweep cadence', () => {
  const cadence = (gap: Duration) => missedSweepCadence(gap, DEFAULT_SWEEP_LATENESS);

  it.each([
    ['1 minute', Duration.minutes(1), 60, 6, true],
    ['15 minutes', Duration.minutes(15), 60, 30, true],
    ['1 hour', Duration.hours(1), 120, 60, true],
    ['1 day', Duration.days(1), 3600, 48, true],
    ['1 week', Duration.days(7), 3600, 168, false],
    ['1 week and a clock change', Duration.hours(7 * 24 + 1), 7200, 84, false],
  ])('for a %s gap: period %i s × %i, FILL %s', (_, gap, period, evaluationPeriods, fill) => {
    expect(cadence(gap)).toMatchObject({ evaluationPeriods, fill });
    expect(cadence(gap)?.period.toSeconds()).toBe(period);
  });

  it('waits about twice the gap, never less than gap + lateness, within PutMetricAlarm limits', () => {
    for (let gapMinutes = 1; gapMinutes <= 7 * 1440; gapMinutes += 7) {
      const gap = Duration.minutes(gapMinutes);
      const c = cadence(gap);
      if (c === undefined) throw new Error(`no cadence for ${gapMinutes} minutes`);
      const period = c.period.toSeconds();
      expect(period % ALARM_PERIOD_STEP.toSeconds()).toBe(0);
      expect(period * c.evaluationPeriods).toBeLessThanOrEqual(maxEvaluationRange(period));
      expect(c.window.toSeconds()).toBeGreaterThan(gap.toSeconds() + 3 * 60);
      expect(c.window.toSeconds()).toBeLessThanOrEqual(
        Math.max(2 * gap.toSeconds(), gap.toSeconds() + DEFAULT_SWEEP_LATENESS.toSeconds()) +
          Math.max(period, 3600),
      );
    }
  });

  it('has none for a gap no alarm can outlast', () => {
    expect(cadence(Duration.days(14))).toBeUndefined();
  });
});
