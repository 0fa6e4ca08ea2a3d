import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BASELINE_EXPIRES_WARNING } from '../../infra/constructs/baseline-retention.js';
import type { SweepScheduleSpec } from '../../infra/constructs/sweep-schedules.js';
import { SweepStack } from '../../infra/sweep-stack.js';
import { templateApp } from './support/synth.js';

const weekly: SweepScheduleSpec = { name: 'weekly', expression: 'rate(7 days)', start: 1, end: 10 };
const monthly: SweepScheduleSpec = {
  name: 'monthly',
  expression: 'cron(0 6 1 * ? *)',
  start: 1,
  end: 10,
};

/** The baseline-expiry warnings of a stack with `schedules`, after `change` to its bucket. */
function warnings(
  schedules: readonly SweepScheduleSpec[],
  change: (stack: SweepStack) => void = () => undefined,
  retentionDays?: number,
): string[] {
  const stack = new SweepStack(templateApp(), 'StatusSweep', {
    schedules,
    distributed: { resultsRetentionDays: retentionDays },
  });
  change(stack);
  return Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(BASELINE_EXPIRES_WARNING))
    .map((m) => String(m.entry.data));
}

describe("a schedule's baseline and the bucket's lifecycle", () => {
  it('draws no warning when results expire in 5 days and the schedules are weekly or monthly', () => {
    expect(warnings([weekly, monthly], undefined, 5)).toEqual([]);
  });

  it('warns, naming the schedule, the gap and the expiry, when a rule would expire a weekly baseline', () => {
    const found = warnings([weekly], (stack) =>
      stack.results.addLifecycleRule({ id: 'Everything', expiration: Duration.days(5) }),
    );

    expect(found).toHaveLength(1);
    expect(found[0]).toContain(
      'schedule "weekly" can be 7 days apart (rate(7 days)), but a lifecycle rule of the results bucket expires baselines/weekly.json after 5 days',
    );
  });

  it('warns for a monthly cron, whose gap cannot be bounded, and a paused schedule, under a 30-day rule', () => {
    const found = warnings([monthly, { ...weekly, enabled: false }], (stack) =>
      stack.results.addLifecycleRule({ prefix: 'baselines/', expiration: Duration.days(30) }),
    );

    expect(found).toEqual([
      expect.stringContaining('schedule "monthly" fires at gaps that cannot be bounded'),
      expect.stringContaining('schedule "weekly" is paused'),
    ]);
  });

  it('draws no warning for a rule whose expiry outlasts the gap, or that covers another prefix', () => {
    const found = warnings([weekly], (stack) => {
      stack.results.addLifecycleRule({ prefix: 'baselines/', expiration: Duration.days(8) });
      stack.results.addLifecycleRule({ prefix: 'exports/', expiration: Duration.days(1) });
    });

    expect(found).toEqual([]);
  });
});
