import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { warnWhenBaselinesExpire } from './constructs/baseline-retention.js';
import { IdMapWidgets } from './constructs/id-map-widgets.js';
import { ResultsBucket } from './constructs/results-bucket.js';
import { RunsFunction, type RunsFunctionProps } from './constructs/runs-function.js';
import { StateMachineArns } from './constructs/state-machine-arns.js';
import { SweepAlarms, type SweepAlarmsProps } from './constructs/sweep-alarms.js';
import { SweepApi, type SweepApiProps } from './constructs/sweep-api.js';
import { SweepDashboard } from './constructs/sweep-dashboard.js';
import { SweepFunction } from './constructs/sweep-function.js';
import type { SweepFunctionProps } from './constructs/sweep-function-props.js';
import { SweepRouting, type SweepRoutingProps } from './constructs/sweep-routing.js';
import { type SweepScheduleSpec, SweepSchedules } from './constructs/sweep-schedules.js';
import { SweepStateMachine } from './constructs/sweep-state-machine.js';
import { addTargetRows } from './constructs/target-rows.js';

/** Sweeps of ranges above `maxIds`: a Step Functions Distributed Map of shards. */
export interface DistributedSweepProps {
  /** Ids per shard (one sweep function invocation each). @default - the function's `maxIds` */
  readonly shardSize?: number;
  /** Shards running at once; each gets this fraction of a request's rate limit. @default - 10 */
  readonly shardMaxConcurrency?: number;
  /** The most ids one distributed sweep covers. @default - 1,000,000 ids (at most 1,000 shards) */
  readonly maxDistributedIds?: number;
  /** Shards that may fail for good before the execution fails. @default - 10 percent */
  readonly toleratedFailurePercentage?: number;
  /** Days shard and merged results are kept in the results bucket. @default - 30 days */
  readonly resultsRetentionDays?: number;
  /** The state machine's name (fixed: its ARN is formatted, not referenced). @default - `<stack name>-DistributedSweeps` */
  readonly stateMachineName?: string;
  /** Memory, timeout and log retention of the runs function (GET /sweeps/{id}, reduce). */
  readonly runsFunction?: Pick<RunsFunctionProps, 'memorySize' | 'timeoutMs' | 'logRetention'>;
}

/** Everything a deployment chooses; each default is documented where it is applied. */
export interface SweepStackProps extends StackProps {
  /** The function: target, limits, memory, timeout, logs, concurrency. */
  readonly function?: Omit<
    SweepFunctionProps,
    | 'stateMachine'
    | 'shardSize'
    | 'shardMaxConcurrency'
    | 'maxDistributedIds'
    | 'baselines'
    | 'scheduleNames'
    | 'scheduleRanges'
    | 'scheduleTargets'
  >;
  /** Distributed sweeps: shard size, concurrency, results retention. */
  readonly distributed?: DistributedSweepProps;
  /** The HTTP API: authorizer, throttling, access log retention. */
  readonly api?: Omit<SweepApiProps, 'handler' | 'runsHandler'>;
  /** Recurring sweeps. @default - none */
  readonly schedules?: readonly SweepScheduleSpec[];
  /**
   * Who hears of sweeps that are not ok (or have newly unexpected ids) besides the alarm e-mail:
   * a Slack or Teams channel (alarms and sweep events) and a webhook (sweep events). @default - none
   */
  readonly notify?: Pick<SweepRoutingProps, 'slack' | 'teams' | 'webhook'>;
  /** Success-rate threshold, how late a scheduled sweep may be, email. */
  readonly alarms?: Pick<
    SweepAlarmsProps,
    | 'successRateThreshold'
    | 'sweepLatenessMs'
    | 'alarmEmail'
    | 'newlyUnexpectedThreshold'
    | 'certificateWarningDays'
  >;
}

/**
 * Status Sweep: the function, its authenticated HTTPS API, its schedules, a dashboard and alarms;
 * ranges above `maxIds` run as a Distributed Map of the function, merged by the runs function.
 * Each schedule has its own missed-sweep and failed-sweep alarms, sized from its expression.
 */
export class SweepStack extends Stack {
  readonly sweep: SweepFunction;
  readonly runs: RunsFunction;
  readonly results: ResultsBucket;
  readonly stateMachine: SweepStateMachine;
  readonly api: SweepApi;
  readonly schedules: SweepSchedules;
  readonly alarms: SweepAlarms;
  /** Slack and webhook routing, when the deployment names either. */
  readonly routing?: SweepRouting;
  readonly dashboard: SweepDashboard;

  constructor(scope: Construct, id: string, props: SweepStackProps = {}) {
    super(scope, id, props);
    const distributed = props.distributed ?? {};
    // Named, not referenced: the functions it invokes know its ARN without a dependency cycle.
    const arns = new StateMachineArns(
      this,
      distributed.stateMachineName ?? StateMachineArns.defaultName(this),
    );
    const results = new ResultsBucket(this, 'Results', {
      retention:
        distributed.resultsRetentionDays === undefined
          ? undefined
          : Duration.days(distributed.resultsRetentionDays),
    });
    warnWhenBaselinesExpire(results, props.schedules ?? []);
    // Named ahead (dashboard names are per account, hence the region) so that the functions can
    // link to it in their events: a reference to the dashboard itself would be a cycle.
    const dashboardName = `${this.stackName}-${this.region}`;
    const dashboardUrl = `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboardName}`;
    const sweep = new SweepFunction(this, 'Function', {
      dashboardUrl,
      ...props.function,
      stateMachine: arns,
      shardSize: distributed.shardSize,
      shardMaxConcurrency: distributed.shardMaxConcurrency,
      maxDistributedIds: distributed.maxDistributedIds,
      baselines: results,
      scheduleNames: (props.schedules ?? []).map((schedule) => schedule.name),
      scheduleRanges: Object.fromEntries(
        (props.schedules ?? []).map(({ name, start, end }) => [name, { start, end }]),
      ),
      scheduleTargets: Object.fromEntries(
        (props.schedules ?? []).flatMap(({ name, target }) =>
          target === undefined ? [] : [[name, target]],
        ),
      ),
    });
    const runs = new RunsFunction(this, 'Runs', {
      ...distributed.runsFunction,
      environment: sweep.environment,
      stateMachine: arns,
      resultsBucket: results.bucket,
    });
    sweep.grantPutSweepMetrics(runs.function);
    // A run's Sweep Finished event is sent by the runs function, after the merge.
    sweep.grantPutSweepEvents(runs.function);
    // A distributed schedule's run ends in the runs function: it keeps that baseline.
    results.grantBaselines(runs.function, runs.role);
    const stateMachine = new SweepStateMachine(this, 'Distributed', {
      arns,
      sweepFunction: sweep.function,
      sweepTimeout: sweep.timeout,
      runsFunction: runs.function,
      resultsBucket: results.bucket,
      shardMaxConcurrency: sweep.shardMaxConcurrency,
      toleratedFailurePercentage: distributed.toleratedFailurePercentage,
    });
    const api = new SweepApi(this, 'Api', {
      ...props.api,
      handler: sweep.function,
      runsHandler: runs.function,
    });
    const schedules = new SweepSchedules(this, 'Schedules', {
      handler: sweep.function,
      requests: sweep.requests,
      schedules: props.schedules ?? [],
      deadLetterQueue: sweep.deadLetterQueue,
    });
    const alarms = new SweepAlarms(this, 'Alarms', {
      ...props.alarms,
      metrics: sweep.metrics,
      additionalMetrics: sweep.additionalMetrics,
      handler: sweep.function,
      runsHandler: runs.function,
      deadLetterQueue: sweep.deadLetterQueue,
      stage: api.stage,
      stateMachine: stateMachine.stateMachine,
      schedules: props.schedules,
    });
    const routing =
      props.notify?.slack || props.notify?.teams || props.notify?.webhook
        ? new SweepRouting(this, 'Routing', { ...props.notify, alarmTopic: alarms.topic })
        : undefined;
    const dashboard = new SweepDashboard(this, 'Dashboard', {
      metrics: sweep.metrics,
      scheduleNames: alarms.schedules.map((s) => s.scheduleName),
      handler: sweep.function,
      stage: api.stage,
      deadLetterQueue: sweep.deadLetterQueue,
      alarms: alarms.all,
      stateMachine: stateMachine.stateMachine,
      dashboardName,
    });
    // A row per additional target, below the first target's.
    addTargetRows(dashboard.dashboard, sweep.additionalMetrics);
    // An id map of each schedule's latest sweep, read from its baseline.
    new IdMapWidgets(this, 'IdMap', {
      dashboard: dashboard.dashboard,
      bucket: results.bucket,
      environment: sweep.environment,
      scheduleNames: (props.schedules ?? []).map((schedule) => schedule.name),
    });

    this.sweep = sweep;
    this.runs = runs;
    this.results = results;
    this.stateMachine = stateMachine;
    this.api = api;
    this.schedules = schedules;
    this.alarms = alarms;
    this.routing = routing;
    this.dashboard = dashboard;

    new CfnOutput(this, 'ApiUrl', {
      value: api.url,
      description:
        'API base URL; the routes are POST and GET {ApiUrl}sweeps, GET {ApiUrl}sweeps/{id}',
    });
    new CfnOutput(this, 'FunctionName', { value: sweep.function.functionName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: sweep.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'ResultsBucketName', { value: results.bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', { value: dashboardUrl });
  }
}
