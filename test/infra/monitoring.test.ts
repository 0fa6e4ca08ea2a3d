import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetricName } from '../../lambda/metrics/names.js';
import { type DashboardBody, dashboardBody, synthTemplate } from './support/synth.js';

const topicRef = { Ref: Match.stringLikeRegexp('AlarmsTopic') };

describe('the alarms', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({
      schedules: [{ name: 'kanto', expression: 'rate(30 minutes)', start: 1, end: 151 }],
      alarms: { successRateThreshold: 90, alarmEmail: 'oncall@example.com' },
    });
  });

  it('fires when the id success rate stays below the threshold for 3 of 5 periods', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 90,
      DatapointsToAlarm: 3,
      EvaluationPeriods: 5,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * expected / requests' }),
        Match.objectLike({
          Id: 'expected',
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'StatusSweep',
              MetricName: MetricName.expected,
              Dimensions: [{ Name: 'Target', Value: 'pokeapi.co' }],
            },
            Stat: 'Sum',
          }),
        }),
      ]),
      AlarmActions: [topicRef],
    });
  });

  it('fires on any function error', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      AlarmActions: [topicRef],
    });
  });

  it('fires when no sweep finished in twice the schedule interval, treating silence as breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      Metrics: [
        Match.objectLike({
          MetricStat: {
            Metric: Match.objectLike({ MetricName: MetricName.sweepDuration }),
            Period: 3600,
            Stat: 'SampleCount',
          },
        }),
      ],
      AlarmActions: [topicRef],
    });
  });

  it('fires on any failed execution of the distributed-sweep state machine', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [
        {
          Name: 'StateMachineArn',
          Value: { Ref: Match.stringLikeRegexp('^DistributedStateMachine') },
        },
      ],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
  });

  it('fires as soon as the dead-letter queue holds a message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef],
    });
  });

  it('notifies one SSL-only topic, with the optional email subscribed', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({ AlarmActions: [{}], OKActions: [{}] });
    }
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: topicRef,
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('the dashboard', () => {
  let body: DashboardBody;
  beforeAll(() => {
    body = dashboardBody(synthTemplate());
  });
  const widget = (title: string) => {
    const found = body.widgets.find((w) => w.properties.title === title);
    if (found === undefined) throw new Error(`no widget titled ${title}`);
    return found.properties.metrics ?? [];
  };
  /** The [namespace, name, …] head and the options of each metric line. */
  const lines = (title: string) =>
    widget(title).map((line) => ({
      namespace: line[0],
      name: line[1],
      options: (line.at(-1) ?? {}) as { stat?: string; label?: string; expression?: string },
    }));

  it('names the namespace and the Target dimension in its header', () => {
    expect(body.widgets[0]?.properties.markdown).toContain('`StatusSweep`');
    expect(body.widgets[0]?.properties.markdown).toContain('pokeapi.co');
  });

  it('shows request latency p50, p90 and p99 from the RequestLatency distribution', () => {
    expect(lines('Request latency (ms)')).toEqual([
      expect.objectContaining({
        namespace: 'StatusSweep',
        name: 'RequestLatency',
        options: expect.objectContaining({ stat: 'p50' }),
      }),
      expect.objectContaining({
        name: 'RequestLatency',
        options: expect.objectContaining({ stat: 'p90' }),
      }),
      expect.objectContaining({
        name: 'RequestLatency',
        options: expect.objectContaining({ stat: 'p99' }),
      }),
    ]);
  });

  it('graphs every sweep metric it promises', () => {
    const names = (title: string) => lines(title).map((l) => l.name);
    expect(names('Sweep duration (ms)')).toEqual([
      MetricName.sweepDuration,
      MetricName.sweepDuration,
    ]);
    expect(names('Outcomes by status class (ids)')).toEqual([
      MetricName.status2xx,
      MetricName.status3xx,
      MetricName.status4xx,
      MetricName.status5xx,
    ]);
    expect(names('Errors, retries, not attempted (ids)')).toEqual([
      MetricName.errors,
      MetricName.retries,
      MetricName.notAttempted,
    ]);
    const successRate = JSON.stringify(widget('Success rate (%)'));
    expect(successRate).toContain('100 * expected / requests');
    expect(successRate).toContain(MetricName.successRate);
    for (const line of widget('Sweep duration (ms)')) {
      expect(line).toEqual(expect.arrayContaining(['Target', 'pokeapi.co']));
    }
  });

  it('graphs the function, the API and the dead-letter queue', () => {
    expect(lines('Lambda invocations, errors, throttles').map((l) => l.name)).toEqual([
      'Invocations',
      'Errors',
      'Throttles',
    ]);
    expect(lines('Lambda duration (ms)').map((l) => l.options.stat)).toEqual([
      'p50',
      'p99',
      'Maximum',
    ]);
    expect(lines('Lambda concurrency').map((l) => l.name)).toEqual(['ConcurrentExecutions']);
    expect(lines('API 4xx and 5xx').map((l) => [l.namespace, l.name])).toEqual([
      ['AWS/ApiGateway', '4xx'],
      ['AWS/ApiGateway', '5xx'],
    ]);
    expect(lines('API latency (ms)').map((l) => l.name)).toEqual([
      'Latency',
      'Latency',
      'IntegrationLatency',
    ]);
    expect(lines('Dead-letter queue (messages)').map((l) => [l.namespace, l.name])).toEqual([
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
    ]);
  });

  it('graphs distributed-sweep executions started, succeeded and failed', () => {
    expect(
      lines('Distributed sweeps (executions)').map((l) => [l.namespace, l.name, l.options.stat]),
    ).toEqual([
      ['AWS/States', 'ExecutionsStarted', 'Sum'],
      ['AWS/States', 'ExecutionsSucceeded', 'Sum'],
      ['AWS/States', 'ExecutionsFailed', 'Sum'],
    ]);
  });

  it('shows the state of every alarm', () => {
    const status = body.widgets.find((w) => w.type === 'alarm');
    expect(status?.properties).toMatchObject({ title: 'Alarms' });
  });
});
