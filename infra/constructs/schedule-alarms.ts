import { Annotations, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  type AlarmBase,
  AlarmRule,
  AlarmState,
  ComparisonOperator,
  CompositeAlarm,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ALARM_AFTER_EVERY_FAILURE } from '../../lambda/ground/alarm-after.js';
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
 * How long a schedule's composite alarms wait for its Muted alarm, and keep waiting after it ends,
 * before acting. The Muted datum and the verdict travel in one PutMetricData with one timestamp,
 * and both alarms evaluate 1-minute periods every minute, so they see it at most one evaluation
 * apart; two minutes is that with a minute to spare. After the extension, a composite still in
 * ALARM performs its actions: a failure that outlasts the window is notified.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
 */
export const MUTE_WAIT_PERIOD = Duration.minutes(2);
export const MUTE_EXTENSION_PERIOD = Duration.minutes(2);

/**
 * One schedule's alarms, fed only by its own sweeps (API sweeps and other schedules cannot hide
 * it): at least `alarmAfter.sweeps` of its last `alarmAfter.of` sweeps failed (its latest, by
 * default); its latest sweep found ids newly unexpected since the one before; no sweep finished
 * for about twice its interval. A schedule with mute windows notifies through composite twins of
 * the first two, whose actions its Muted alarm suppresses while a window covers its sweeps.
 */
export class ScheduleAlarms extends Construct {
  readonly scheduleName: string;
  readonly failed: Alarm;
  readonly newlyUnexpected: Alarm;
  /** Absent when the schedule's gaps can exceed what an alarm can watch (monthly crons). */
  readonly missedSweep: Alarm | undefined;
  /** In ALARM from the first sweep a mute window covered to the first it did not (windows only). */
  readonly muted: Alarm | undefined;
  /** What notifies: each alarm, or its composite twin that mute windows silence. */
  readonly notifying: readonly AlarmBase[];

  constructor(scope: Construct, id: string, props: ScheduleAlarmsProps) {
    super(scope, id);
    const { schedule } = props;
    this.scheduleName = schedule.name;
    const metrics = props.metrics.forSchedule(schedule.name);
    // One-minute periods hold at most one sweep of any schedule, so the latest one decides: it
    // counts the failures among the schedule's recent sweeps itself, at any cadence.
    const alarmAfter = schedule.alarmAfter ?? ALARM_AFTER_EVERY_FAILURE;
    this.failed = alarmOnLatest(this, 'Failed', {
      alarmDescription:
        alarmAfter.of === 1
          ? `The latest sweep of schedule ${schedule.name} had the verdict "failed".`
          : `At least ${alarmAfter.sweeps} of the last ${alarmAfter.of} sweeps of schedule ${schedule.name} had the verdict "failed".`,
      metric: metrics.metricRecentFailures({ period: Duration.minutes(1) }),
      threshold: alarmAfter.sweeps,
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

    this.muted = (schedule.mute?.length ?? 0) > 0 ? this.mutedAlarm(metrics) : undefined;
    this.notifying = [
      this.silencedBy(this.muted, this.failed, 'FailedOutsideMute'),
      this.silencedBy(this.muted, this.newlyUnexpected, 'NewlyUnexpectedOutsideMute'),
    ];

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
    // A missed sweep is this deployment's fault, not the target's: no window silences it.
    this.notifying = [...this.notifying, this.missedSweep];
  }

  /** Follows the latest sweep's Muted datum (1 inside a window); it notifies nobody itself. */
  private mutedAlarm(metrics: SweepMetrics): Alarm {
    return alarmOnLatest(this, 'Muted', {
      alarmDescription: `The latest sweep of schedule ${this.scheduleName} ran in one of its mute windows: its alarms take no action.`,
      metric: metrics.metricMuted({ period: Duration.minutes(1) }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
  }

  /** The alarm itself, or a composite twin in its state whose actions `muted` suppresses. */
  private silencedBy(muted: Alarm | undefined, alarm: Alarm, id: string): AlarmBase {
    if (muted === undefined) return alarm;
    return new CompositeAlarm(this, id, {
      alarmDescription: `${alarm.node.id} of schedule ${this.scheduleName}, silent while its sweeps run in a mute window.`,
      alarmRule: AlarmRule.fromAlarm(alarm, AlarmState.ALARM),
      actionsSuppressor: muted,
      actionsSuppressorWaitPeriod: MUTE_WAIT_PERIOD,
      actionsSuppressorExtensionPeriod: MUTE_EXTENSION_PERIOD,
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
