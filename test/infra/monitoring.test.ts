import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SweepStack } from '../../infra/sweep-stack.js';
import { MetricName } from '../../lambda/metrics/names.js';
import { type DashboardBody, dashboardBody, synthTemplate, templateApp } from './support/synth.js';

const topicRef = { Ref: Match.stringLikeRegexp('AlarmsTopic') };

describe('the alarms', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({
      schedules: [
        { name: 'kanto', expression: 'rate(30 minutes)', start: 1, end: 151 },
        { name: 'paused', expression: 'rate(1 hour)', start: 1, end: 2, enabled: false },
      ],
      alarms: { successRateThreshold: 90, alarmEmail: 'oncall@example.com' },
    });
  });
  const statesMetric = (name: string) =>
    Match.objectLike({
      MetricStat: Match.objectLike({
        Metric: Match.objectLike({ Namespace: 'AWS/States', MetricName: name }),
        Stat: 'Sum',
      }),
    });

  it('lets CloudWatch alarms of this account publish to the topic, over SSL only', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':cloudwatch:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':alarm:*',
                    ],
                  ],
                },
              },
            },
          },
        ]),
      },
    });
  });

  it('fires when, in the latest hour with sweeps, too few ids met their expectation', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 90,
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * expected / (expected + unexpected)' }),
        Match.objectLike({
          Id: 'expected',
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'StatusSweep',
              MetricName: MetricName.expected,
              Dimensions: [{ Name: 'Target', Value: 'pokeapi.co' }],
            },
            Period: 3600,
            Stat: 'Sum',
          }),
        }),
      ]),
      AlarmActions: [topicRef],
    });
  });

  it.each([
    ['AWS/Lambda', 'Errors', 'FunctionHandler'],
    ['AWS/Lambda', 'Errors', 'RunsHandler'],
    ['AWS/Lambda', 'Throttles', 'FunctionHandler'],
    ['AWS/Lambda', 'Throttles', 'RunsHandler'],
    ['StatusSweep', MetricName.notAttempted, undefined],
    ['StatusSweep', MetricName.failedShards, undefined],
    ['AWS/ApiGateway', '5xx', undefined],
  ])('fires on any %s %s (%s)', (namespace, metricName, functionId) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: namespace,
      MetricName: metricName,
      ...(functionId && {
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp(functionId) } }],
      }),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
  });

  it('fires on distributed executions that failed, timed out or were aborted', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({
          Expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        }),
        statesMetric('ExecutionsFailed'),
        statesMetric('ExecutionsTimedOut'),
        statesMetric('ExecutionsAborted'),
      ]),
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

  it("fires when a schedule's latest sweep finds ids newly unexpected since its baseline", () => {
    const newlyUnexpected = (threshold: number) => ({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: threshold,
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
      MetricName: MetricName.newlyUnexpected,
      Dimensions: [
        { Name: 'Schedule', Value: 'kanto' },
        { Name: 'Target', Value: 'pokeapi.co' },
      ],
      Period: 60,
      Statistic: 'Sum',
      AlarmActions: [topicRef],
    });
    const tolerant = synthTemplate({
      schedules: [{ name: 'kanto', expression: 'rate(30 minutes)', start: 1, end: 151 }],
      alarms: { newlyUnexpectedThreshold: 5 },
    });

    template.hasResourceProperties('AWS::CloudWatch::Alarm', newlyUnexpected(1));
    tolerant.hasResourceProperties('AWS::CloudWatch::Alarm', newlyUnexpected(5));
  });

  it("fires when the target's certificate has fewer days left than certificateWarningDays (14 by default)", () => {
    const certificateExpiry = (threshold: number) => ({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: threshold,
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
      Namespace: 'StatusSweep',
      MetricName: MetricName.certificateDaysLeft,
      Dimensions: [{ Name: 'Target', Value: 'pokeapi.co' }],
      Period: 3600,
      Statistic: 'Minimum',
      AlarmActions: [topicRef],
    });
    const earlier = synthTemplate({ alarms: { certificateWarningDays: 30 } });

    template.hasResourceProperties('AWS::CloudWatch::Alarm', certificateExpiry(14));
    earlier.hasResourceProperties('AWS::CloudWatch::Alarm', certificateExpiry(30));
  });

  it("notifies a muted schedule's failures through composite twins its Muted alarm suppresses", () => {
    const muted = synthTemplate({
      schedules: [
        {
          name: 'kanto',
          expression: 'rate(30 minutes)',
          start: 1,
          end: 151,
          mute: [{ cron: '0 2 ? * SUN *', minutes: 120, timeZone: 'Europe/Paris' }],
          alarmAfter: { sweeps: 2, of: 3 },
        },
      ],
    });
    const alarms = muted.findResources('AWS::CloudWatch::Alarm');
    const idOf = (part: string) => {
      const ids = Object.keys(alarms).filter((id) => id.startsWith(`AlarmsSchedulekanto${part}`));
      expect(ids).toHaveLength(1);
      return ids[0] as string;
    };
    const [failed, newly, mutedAlarm, missed] = [
      'Failed',
      'NewlyUnexpected',
      'Muted',
      'MissedSweep',
    ].map(idOf);
    // The metric alarms of the target notify nobody themselves; the missed-sweep alarm still does.
    for (const id of [failed, newly, mutedAlarm]) {
      expect(alarms[id as string]?.Properties.AlarmActions, id).toBeUndefined();
    }
    const topic = { Ref: expect.stringMatching(/^AlarmsTopic/) };
    expect(alarms[missed as string]?.Properties.AlarmActions).toEqual([topic]);
    expect(alarms[failed as string]?.Properties.Threshold).toBe(2);
    const composites = Object.values(muted.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composites).toHaveLength(2);
    for (const composite of composites) {
      expect(composite.Properties).toMatchObject({
        ActionsSuppressor: { 'Fn::GetAtt': [mutedAlarm, 'Arn'] },
        ActionsSuppressorWaitPeriod: 120,
        ActionsSuppressorExtensionPeriod: 120,
        AlarmActions: [topic],
        OKActions: [topic],
      });
    }
    const rules = JSON.stringify(composites.map((c) => c.Properties.AlarmRule));
    expect(rules).toContain(failed);
    expect(rules).toContain(newly);
  });

  it("watches each enabled schedule's own sweeps: missed and failed", () => {
    const scheduleDimensions = [
      { Name: 'Schedule', Value: 'kanto' },
      { Name: 'Target', Value: 'pokeapi.co' },
    ];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 60,
      DatapointsToAlarm: 60,
      TreatMissingData: 'ignore',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(sweeps, 0)' }),
        Match.objectLike({
          MetricStat: {
            Metric: Match.objectLike({
              MetricName: MetricName.sweeps,
              Dimensions: scheduleDimensions,
            }),
            Period: 60,
            Stat: 'Sum',
          },
        }),
      ]),
      AlarmActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
      // The failures among its recent sweeps, as the latest sweep counted them (1 of 1 here).
      MetricName: MetricName.recentFailures,
      Dimensions: scheduleDimensions,
      Period: 60,
      Statistic: 'Maximum',
      Threshold: 1,
    });
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain(
      'paused',
    );
  });

  it('notifies one SSL-only topic of every change, with the optional email subscribed', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    // 4 target (certificate expiry included), 7 service, 3 for the one enabled schedule.
    expect(alarms).toHaveLength(14);
    for (const alarm of alarms) {
      const topic = { Ref: expect.stringMatching(/^AlarmsTopic/) };
      expect(alarm.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    }
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: topicRef,
    });
  });

  it('warns, and has no missed-sweep alarm, for a schedule no alarm can watch (monthly)', () => {
    const app = templateApp();
    const stack = new SweepStack(app, 'Monthly', {
      schedules: [{ name: 'monthly', expression: 'cron(0 6 1 * ? *)', start: 1, end: 2 }],
    });
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp('monthly'),
    );
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('FILL(sweeps');
  });

  it('fails the synth naming a schedule whose cron it cannot read', () => {
    expect(() =>
      synthTemplate({
        schedules: [{ name: 'odd', expression: 'cron(0 6 * *)', start: 1, end: 2 }],
      }),
    ).toThrow(/schedule "odd": a cron\(\) expression has 6 fields/);
  });
});

describe('the dashboard', () => {
  let body: DashboardBody;
  beforeAll(() => {
    body = dashboardBody(
      synthTemplate({
        schedules: [{ name: 'kanto', expression: 'rate(30 minutes)', start: 1, end: 151 }],
      }),
    );
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
    expect(names('Ids attempted, errors, retries, not attempted; failed shards')).toEqual([
      MetricName.requests,
      MetricName.errors,
      MetricName.retries,
      MetricName.notAttempted,
      MetricName.failedShards,
    ]);
    const successRate = JSON.stringify(widget('Ids meeting expectation (%)'));
    expect(successRate).toContain('100 * expected / (expected + unexpected)');
    expect(successRate).toContain(MetricName.successRate);
    for (const line of widget('Sweep duration (ms)')) {
      expect(line).toEqual(expect.arrayContaining(['Target', 'pokeapi.co']));
    }
  });

  it("graphs verdicts over time, unexpected ids and why, request phases, and each schedule's sweeps", () => {
    expect(lines('Verdicts (sweeps)').map((l) => [l.name, l.options.stat])).toEqual([
      [MetricName.verdictOk, 'Sum'],
      [MetricName.verdictDegraded, 'Sum'],
      [MetricName.verdictFailed, 'Sum'],
    ]);
    expect(lines('Unexpected outcomes (ids)').map((l) => l.name)).toEqual([
      MetricName.unexpected,
      MetricName.newlyUnexpected,
      MetricName.recovered,
      MetricName.contentMismatch,
      MetricName.slow,
    ]);
    expect(
      lines('Request phases p95 (ms; connect and TLS per new connection)').map((l) => [
        l.name,
        l.options.stat,
      ]),
    ).toEqual([
      [MetricName.connectLatency, 'p95'],
      [MetricName.tlsLatency, 'p95'],
      [MetricName.firstByteLatency, 'p95'],
      [MetricName.bodyLatency, 'p95'],
    ]);
    expect(widget('Sweeps, all and per schedule')).toEqual([
      expect.arrayContaining([MetricName.sweeps, 'Target', 'pokeapi.co']),
      expect.arrayContaining([MetricName.sweeps, 'Schedule', 'kanto', 'Target', 'pokeapi.co']),
    ]);
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

  it('graphs distributed-sweep executions started, succeeded, failed, timed out and aborted', () => {
    expect(
      lines('Distributed sweeps (executions)').map((l) => [l.namespace, l.name, l.options.stat]),
    ).toEqual([
      ['AWS/States', 'ExecutionsStarted', 'Sum'],
      ['AWS/States', 'ExecutionsSucceeded', 'Sum'],
      ['AWS/States', 'ExecutionsFailed', 'Sum'],
      ['AWS/States', 'ExecutionsTimedOut', 'Sum'],
      ['AWS/States', 'ExecutionsAborted', 'Sum'],
    ]);
  });

  it('shows the state of every alarm', () => {
    const status = body.widgets.find((w) => w.type === 'alarm') as
      | { properties: { title?: string; alarms?: unknown[] } }
      | undefined;
    expect(status?.properties.title).toBe('Alarms');
    // 3 target, 7 service, 2 for the schedule.
    expect(status?.properties.alarms).toHaveLength(14);
  });
});
