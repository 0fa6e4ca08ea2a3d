import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SweepAlarms, type SweepAlarmsProps } from './constructs/sweep-alarms.js';
import { SweepApi, type SweepApiProps } from './constructs/sweep-api.js';
import { SweepDashboard } from './constructs/sweep-dashboard.js';
import { SweepFunction, type SweepFunctionProps } from './constructs/sweep-function.js';
import { type SweepScheduleSpec, SweepSchedules } from './constructs/sweep-schedules.js';

/** Everything a deployment chooses; each default is documented where it is applied. */
export interface SweepStackProps extends StackProps {
  /** The function: target, limits, memory, timeout, logs, concurrency. */
  readonly function?: SweepFunctionProps;
  /** The HTTP API: authorizer, throttling, access log retention. */
  readonly api?: Omit<SweepApiProps, 'handler'>;
  /** Recurring sweeps. @default - none */
  readonly schedules?: readonly SweepScheduleSpec[];
  /** Success-rate threshold, N of M, email. */
  readonly alarms?: Pick<
    SweepAlarmsProps,
    | 'successRateThreshold'
    | 'successRateDatapointsToAlarm'
    | 'successRateEvaluationPeriods'
    | 'alarmEmail'
    | 'missedSweepWindow'
  >;
}

/**
 * Status Sweep: the function, its authenticated HTTPS API, its schedules, a dashboard and alarms.
 * The missed-sweep alarm exists only with schedules; by default it waits twice the longest gap.
 */
export class SweepStack extends Stack {
  readonly sweep: SweepFunction;
  readonly api: SweepApi;
  readonly schedules: SweepSchedules;
  readonly alarms: SweepAlarms;
  readonly dashboard: SweepDashboard;

  constructor(scope: Construct, id: string, props: SweepStackProps = {}) {
    super(scope, id, props);
    const sweep = new SweepFunction(this, 'Function', props.function);
    const api = new SweepApi(this, 'Api', { ...props.api, handler: sweep.function });
    const schedules = new SweepSchedules(this, 'Schedules', {
      handler: sweep.function,
      schedules: props.schedules ?? [],
      deadLetterQueue: sweep.deadLetterQueue,
    });
    const alarms = new SweepAlarms(this, 'Alarms', {
      ...props.alarms,
      metrics: sweep.metrics,
      handler: sweep.function,
      deadLetterQueue: sweep.deadLetterQueue,
      missedSweepWindow:
        props.alarms?.missedSweepWindow ??
        (schedules.longestInterval && Duration.seconds(2 * schedules.longestInterval.toSeconds())),
    });
    const dashboard = new SweepDashboard(this, 'Dashboard', {
      metrics: sweep.metrics,
      handler: sweep.function,
      stage: api.stage,
      deadLetterQueue: sweep.deadLetterQueue,
      alarms: alarms.all,
    });

    this.sweep = sweep;
    this.api = api;
    this.schedules = schedules;
    this.alarms = alarms;
    this.dashboard = dashboard;

    new CfnOutput(this, 'ApiUrl', {
      value: api.url,
      description: 'API base URL; the routes are POST and GET {ApiUrl}sweeps',
    });
    new CfnOutput(this, 'FunctionName', { value: sweep.function.functionName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: sweep.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboard.dashboard.dashboardName}`,
    });
  }
}
