import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { Phase, StatusClass, type SweepMetrics, Verdict } from './sweep-metrics.js';

export interface SweepDashboardProps {
  readonly metrics: SweepMetrics;
  readonly handler: IFunction;
  readonly stage: IHttpStage;
  readonly deadLetterQueue: IQueue;
  readonly alarms: readonly IAlarm[];
  /** The enabled schedules, each graphed by its own `Sweeps`. @default - none */
  readonly scheduleNames?: readonly string[];
  /** The distributed-sweep state machine. @default - no distributed-sweep widget */
  readonly stateMachine?: IStateMachine;
  /** @default - a name CloudFormation generates */
  readonly dashboardName?: string;
}

/** Width of a CloudWatch dashboard row, in grid units. */
const ROW = 24;
const THIRD = ROW / 3;

/** One dashboard: the sweeps (from our metrics), then the function, the API and the queue. */
export class SweepDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: SweepDashboardProps) {
    super(scope, id);
    const { metrics, handler, stage, deadLetterQueue } = props;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
    });
    const graph = (title: string, left: IMetric[], width = THIRD): IWidget =>
      new GraphWidget({ title, left, width, height: 6 });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Status Sweep: ${metrics.targetName}\nNamespace \`${metrics.namespace}\`, dimension Target.`,
        width: ROW,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: ROW, height: 4 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Verdicts (sweeps)',
        left: Object.values(Verdict).map((verdict) => metrics.metricVerdict(verdict)),
        stacked: true,
        width: THIRD,
        height: 6,
      }),
      graph('Unexpected outcomes (ids)', [
        metrics.metricUnexpected({ label: 'unexpected' }),
        metrics.metricNewlyUnexpected({ label: 'newly unexpected' }),
        metrics.metricRecovered({ label: 'recovered' }),
        metrics.metricContentMismatch({ label: 'wrong content' }),
        metrics.metricSlow({ label: 'too slow' }),
      ]),
      graph('Sweeps, all and per schedule', [
        metrics.metricSweeps({ label: 'all sweeps' }),
        ...(props.scheduleNames ?? []).map((name) =>
          metrics.forSchedule(name).metricSweeps({ label: name }),
        ),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Sweep duration (ms)', [
        metrics.metricSweepDuration({ label: 'average' }),
        metrics.metricSweepDuration({ statistic: 'Maximum', label: 'max' }),
      ]),
      graph('Request latency (ms)', [
        metrics.metricRequestLatency('p50'),
        metrics.metricRequestLatency('p90'),
        metrics.metricRequestLatency('p99'),
      ]),
      graph(
        'Request phases p95 (ms; connect and TLS per new connection)',
        Object.values(Phase).map((phase) => metrics.metricPhaseLatency(phase, 'p95')),
      ),
    );
    this.dashboard.addWidgets(
      graph('Ids meeting expectation (%)', [
        metrics.metricIdSuccessRate({ label: 'ids meeting expectation' }),
        metrics.metricSuccessRate({ statistic: 'Minimum', label: 'worst sweep' }),
      ]),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Outcomes by status class (ids)',
        left: Object.values(StatusClass).map((cls) => metrics.metricStatusClass(cls)),
        stacked: true,
        width: THIRD,
        height: 6,
      }),
      graph('Ids attempted, errors, retries, not attempted; failed shards', [
        metrics.metricRequests({ label: 'attempted' }),
        metrics.metricErrors({ label: 'errors' }),
        metrics.metricRetries({ label: 'retries' }),
        metrics.metricNotAttempted({ label: 'not attempted' }),
        metrics.metricFailedShards({ label: 'failed shards' }),
      ]),
      graph('Dead-letter queue (messages)', [
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          label: 'visible',
        }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Lambda invocations, errors, throttles', [
        handler.metricInvocations({ label: 'invocations' }),
        handler.metricErrors({ label: 'errors' }),
        handler.metricThrottles({ label: 'throttles' }),
      ]),
      graph('Lambda duration (ms)', [
        handler.metricDuration({ statistic: 'p50', label: 'p50' }),
        handler.metricDuration({ statistic: 'p99', label: 'p99' }),
        handler.metricDuration({ statistic: 'Maximum', label: 'max' }),
      ]),
      graph('Lambda concurrency', [
        handler.metric('ConcurrentExecutions', { statistic: 'Maximum', label: 'concurrent' }),
      ]),
    );
    const { stateMachine } = props;
    if (stateMachine !== undefined) {
      this.dashboard.addWidgets(
        graph(
          'Distributed sweeps (executions)',
          [
            stateMachine.metricStarted({ statistic: 'Sum', label: 'started' }),
            stateMachine.metricSucceeded({ statistic: 'Sum', label: 'succeeded' }),
            stateMachine.metricFailed({ statistic: 'Sum', label: 'failed' }),
            stateMachine.metricTimedOut({ statistic: 'Sum', label: 'timed out' }),
            stateMachine.metricAborted({ statistic: 'Sum', label: 'aborted' }),
          ],
          ROW,
        ),
      );
    }
    this.dashboard.addWidgets(
      graph(
        'API 4xx and 5xx',
        [
          stage.metricClientError({ statistic: 'Sum', label: '4xx' }),
          stage.metricServerError({ statistic: 'Sum', label: '5xx' }),
        ],
        ROW / 2,
      ),
      graph(
        'API latency (ms)',
        [
          stage.metricLatency({ statistic: 'p50', label: 'p50' }),
          stage.metricLatency({ statistic: 'p99', label: 'p99' }),
          stage.metricIntegrationLatency({ statistic: 'p99', label: 'integration p99' }),
        ],
        ROW / 2,
      ),
    );
  }
}
