import { Annotations, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { missedSweepCadence } from './alarm-cadence.js';
import { alarmOnLatest } from './alarm-shapes.js';
import { longestGap } from './schedule-interval.js';
import type { SweepMetrics } from './sweep-metrics.js';
import type { SweepScheduleSpec } from './sweep-schedules.js';

export interface ScheduleAlarmsProps {
  /** The target's metrics; the alarms read the schedule's own (dimension Schedule). */
  readonly metrics: SweepMetrics;
  readonly schedule: SweepScheduleSpec;
  /** How much later than its firing a sweep may publish its metrics. */
  readonly sweepLateness: Duration;
  /** Newly unexpected ids (since the schedule's baseline) in one sweep that alarm. */
  readonly newlyUnexpectedThreshold: number;
}

/**
 * One schedule's alarms, fed only by its own sweeps (API sweeps and other schedules cannot hide
 * it): its latest sweep failed; its latest sweep found ids newly unexpected since the one
 * before; no sweep finished for about twice its interval.
 */
export class ScheduleAlarms extends Construct {
  readonly scheduleName: string;
  readonly failed: Alarm;
  readonly newlyUnexpected: Alarm;
  /** Absent when the schedule's gaps can exceed what an alarm can watch (monthly crons). */
  readonly missedSweep: Alarm | undefined;

  constructor(scope: Construct, id: string, props: ScheduleAlarmsProps) {
    super(scope, id);
    const { schedule } = props;
    this.scheduleName = schedule.name;
    const metrics = props.metrics.forSchedule(schedule.name);
    // One-minute periods hold at most one sweep of any schedule, so the latest one decides.
    this.failed = alarmOnLatest(this, 'Failed', {
      alarmDescription: `The latest sweep of schedule ${schedule.name} had the verdict "failed".`,
      metric: metrics.metricVerdict('failed', { period: Duration.minutes(1) }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    // Published only by sweeps that had a baseline: the first sweep leaves the state as it is.
    const threshold = props.newlyUnexpectedThreshold;
    this.newlyUnexpected = alarmOnLatest(this, 'NewlyUnexpected', {
      alarmDescription: `The latest sweep of schedule ${schedule.name} found ${threshold === 1 ? 'an id' : `at least ${threshold} ids`} that met the expectation in the sweep before and not now (the log line's changes name them).`,
      metric: metrics.metricNewlyUnexpected({ period: Duration.minutes(1) }),
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    const gap = scheduleGap(schedule);
    const cadence = gap && missedSweepCadence(gap, props.sweepLateness);
    if (cadence === undefined) {
      Annotations.of(this).addWarningV2(
        'status-sweep:no-missed-sweep-alarm',
        `schedule ${schedule.name} (${schedule.expression}) can go longer between sweeps than a CloudWatch alarm can watch (7 days): it has no missed-sweep alarm`,
      );
      return;
    }
    const sweeps = metrics.metricSweeps({ period: cadence.period });
    this.missedSweep = new Alarm(this, 'MissedSweep', {
      alarmDescription: `No sweep of schedule ${schedule.name} (${schedule.expression}) finished within ${cadence.window.toHumanString()}.`,
      metric: cadence.fill
        ? new MathExpression({
            expression: 'FILL(sweeps, 0)',
            usingMetrics: { sweeps },
            period: cadence.period,
            label: 'sweeps',
          })
        : sweeps,
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: cadence.evaluationPeriods,
      datapointsToAlarm: cadence.evaluationPeriods,
      // FILL turns every period without a sweep into 0 while any sweep is in range, and after
      // that the ALARM is kept; before the first sweep the alarm waits (INSUFFICIENT_DATA).
      // Without FILL (gaps near a week), only an evaluation range without any sweep breaches.
      treatMissingData: cadence.fill ? TreatMissingData.IGNORE : TreatMissingData.BREACHING,
    });
  }
}

/** The schedule's longest gap; a bad expression fails the synth naming the schedule. */
function scheduleGap(schedule: SweepScheduleSpec): Duration | undefined {
  try {
    return longestGap(schedule.expression, schedule.timeZone);
  } catch (error) {
    throw new Error(`schedule ${JSON.stringify(schedule.name)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
