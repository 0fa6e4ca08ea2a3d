import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SweepMetrics } from './sweep-metrics.js';

/** CloudWatch alarms evaluate at most one day of periods × evaluation periods. */
const MAX_ALARM_WINDOW = Duration.days(1);

export interface SweepAlarmsProps {
  readonly metrics: SweepMetrics;
  readonly handler: IFunction;
  readonly deadLetterQueue: IQueue;
  /** The distributed-sweep state machine. @default - no failed-execution alarm */
  readonly stateMachine?: IStateMachine;
  /** Alarm when the success rate (percent) falls below this. @default - 95 percent */
  readonly successRateThreshold?: number;
  /** N of "N of M" five-minute periods below the threshold. @default - 3 periods */
  readonly successRateDatapointsToAlarm?: number;
  /** M of "N of M" five-minute periods. @default - 5 periods */
  readonly successRateEvaluationPeriods?: number;
  /**
   * Alarm when no sweep finished for this long (missing data breaches). Scheduled sweeps only.
   * @default - no missed-sweep alarm
   */
  readonly missedSweepWindow?: Duration;
  /** Also send alarm notifications by email (the address must confirm). @default - none */
  readonly alarmEmail?: string;
}

/** The alarms that say a sweep deployment needs a look, all notifying one SNS topic. */
export class SweepAlarms extends Construct {
  readonly topic: Topic;
  readonly successRate: Alarm;
  readonly functionErrors: Alarm;
  readonly deadLetters: Alarm;
  readonly missedSweep: Alarm | undefined;
  readonly executionsFailed: Alarm | undefined;

  constructor(scope: Construct, id: string, props: SweepAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Status Sweep alarms', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no secrets; CloudWatch cannot publish to a topic under the AWS-managed SNS key.',
    });
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    }

    const threshold = props.successRateThreshold ?? 95;
    this.successRate = new Alarm(this, 'SuccessRate', {
      alarmDescription: `Fewer than ${threshold}% of the ids swept answered 2xx or 3xx.`,
      metric: props.metrics.metricIdSuccessRate(),
      threshold,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      datapointsToAlarm: props.successRateDatapointsToAlarm ?? 3,
      evaluationPeriods: props.successRateEvaluationPeriods ?? 5,
      // No sweep, no success rate: silence is the missed-sweep alarm's business.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.functionErrors = new Alarm(this, 'FunctionErrors', {
      alarmDescription: 'The sweep function failed (bad scheduled input, crash or timeout).',
      metric: props.handler.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.deadLetters = new Alarm(this, 'DeadLetters', {
      alarmDescription: 'Invocations that failed or could not be delivered are waiting.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    if (props.missedSweepWindow !== undefined) {
      const window = Duration.seconds(
        Math.min(props.missedSweepWindow.toSeconds(), MAX_ALARM_WINDOW.toSeconds()),
      );
      this.missedSweep = new Alarm(this, 'MissedSweep', {
        alarmDescription: `No sweep of the target finished within ${window.toHumanString()}.`,
        metric: props.metrics.metricSweepsCompleted({ period: window }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.BREACHING,
      });
    }

    // A failed shard is tolerated and counted; a failed execution means no merged result at all.
    this.executionsFailed =
      props.stateMachine &&
      new Alarm(this, 'ExecutionsFailed', {
        alarmDescription: 'A distributed sweep execution failed: it has no merged result.',
        metric: props.stateMachine.metricFailed({
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });

    const action = new SnsAction(this.topic);
    for (const alarm of this.all) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  /** Every alarm, for a dashboard status widget. */
  get all(): Alarm[] {
    const alarms = [
      this.successRate,
      this.functionErrors,
      this.deadLetters,
      this.missedSweep,
      this.executionsFailed,
    ];
    return alarms.filter((alarm): alarm is Alarm => alarm !== undefined);
  }
}
