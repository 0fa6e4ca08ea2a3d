import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULT_SWEEP_LATENESS } from './alarm-cadence.js';
import { alarmTopic } from './alarm-topic.js';
import { ScheduleAlarms } from './schedule-alarms.js';
import { type ServiceAlarmsProps, serviceAlarms } from './service-alarms.js';
import type { SweepMetrics } from './sweep-metrics.js';
import type { SweepScheduleSpec } from './sweep-schedules.js';
import { additionalTargetAlarms, targetAlarms } from './target-alarms.js';

export interface SweepAlarmsProps extends ServiceAlarmsProps {
  readonly metrics: SweepMetrics;
  /** The other targets' metrics by name: each gets its target alarms; schedules read their target's. @default - none */
  readonly additionalMetrics?: Readonly<Record<string, SweepMetrics>>;
  /** Each enabled schedule gets a missed-sweep and a failed-sweep alarm. @default - none */
  readonly schedules?: readonly SweepScheduleSpec[];
  /**
   * Alarm when, in the latest hour with sweeps, fewer ids than this percent met their
   * expectation. @default - 95 percent
   */
  readonly successRateThreshold?: number;
  /**
   * How much later than its firing a scheduled sweep may publish; raise it for distributed
   * schedules whose duration varies by more; in ms. @default - 5 minutes
   */
  readonly sweepLatenessMs?: number;
  /**
   * Alarm when a schedule's sweep finds at least this many ids newly unexpected since the
   * schedule's baseline. @default - 1 id
   */
  readonly newlyUnexpectedThreshold?: number;
  /**
   * Alarm when the target's certificate (HTTPS) has fewer days left than this.
   * @default - 14 days
   */
  readonly certificateWarningDays?: number;
  /** Also send alarm notifications by email (the address must confirm). @default - none */
  readonly alarmEmail?: string;
}

/** The alarms that say a sweep deployment needs a look, all notifying one SNS topic. */
export class SweepAlarms extends Construct {
  readonly topic: Topic;
  /** Every alarm, for a dashboard status widget. */
  readonly all: readonly Alarm[];
  readonly schedules: readonly ScheduleAlarms[];

  constructor(scope: Construct, id: string, props: SweepAlarmsProps) {
    super(scope, id);
    this.topic = alarmTopic(this, props.alarmEmail);
    this.schedules = (props.schedules ?? [])
      .filter((schedule) => schedule.enabled ?? true)
      .map(
        (schedule) =>
          new ScheduleAlarms(this, `Schedule-${schedule.name}`, {
            metrics: props.additionalMetrics?.[schedule.target ?? ''] ?? props.metrics,
            schedule,
            sweepLateness:
              props.sweepLatenessMs === undefined
                ? DEFAULT_SWEEP_LATENESS
                : Duration.millis(props.sweepLatenessMs),
            newlyUnexpectedThreshold: props.newlyUnexpectedThreshold ?? 1,
          }),
      );
    const ownAlarms = [
      ...targetAlarms(
        this,
        props.metrics,
        props.successRateThreshold ?? 95,
        props.certificateWarningDays,
      ),
      ...additionalTargetAlarms(this, props),
      ...serviceAlarms(this, props),
    ];
    this.all = [
      ...ownAlarms,
      ...this.schedules.flatMap((s) => [
        s.failed,
        s.newlyUnexpected,
        ...(s.missedSweep ? [s.missedSweep] : []),
      ]),
    ];
    // Schedules notify through their own list: composite twins where mute windows silence them.
    const action = new SnsAction(this.topic);
    for (const alarm of [...ownAlarms, ...this.schedules.flatMap((s) => s.notifying)]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
