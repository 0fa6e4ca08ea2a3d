import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { planOf } from '../../dev/plan.js';
import { parseConfig } from '../../infra/config/read.js';
import { stackPropsFromConfig } from '../../infra/config/stack-props.js';
import { MetricName } from '../../lambda/metrics/names.js';
import { dashboardBody, lambdaFunction, synthTemplate } from './support/synth.js';

/** Three targets and five schedules, as a user writes them in status-sweep.config.json. */
const config = parseConfig(
  {
    targets: [
      { name: 'prod', urlTemplate: 'https://api.example.com/items/{id}' },
      {
        name: 'canary',
        urlTemplate: 'https://canary.example.com/items/{id}',
        method: 'HEAD',
        headersSecret: 'canary/headers',
        expect: [{ ids: '1-100', statuses: ['2xx'] }],
        verdictFailedBelowPercent: 99,
        defaults: { concurrency: 8, ratePerSecond: 20 },
      },
      { name: 'v2', urlTemplate: 'https://v2.example.com/things/{id}?full=1' },
    ],
    schedules: [
      { name: 'prod-hourly', expression: 'rate(1 hour)', start: 1, end: 500 },
      {
        name: 'prod-nightly',
        target: 'prod',
        expression: 'cron(0 2 * * ? *)',
        start: 1,
        end: 5000,
        mute: [{ cron: '0 1 ? * SUN *', minutes: 180 }],
        alarmAfter: { sweeps: 2, of: 3 },
      },
      { name: 'canary-hourly', target: 'canary', expression: 'rate(1 hour)', start: 1, end: 100 },
      { name: 'v2-hourly', target: 'v2', expression: 'rate(1 hour)', start: 1, end: 300 },
      { name: 'v2-daily', target: 'v2', expression: 'rate(1 day)', start: 1, end: 3000 },
    ],
  },
  'status-sweep.config.json',
);
const template = synthTemplate(stackPropsFromConfig(config));

describe('a deployment of three targets and five schedules', () => {
  it("gives the one function each target's settings", () => {
    const { properties } = lambdaFunction(template, 'Function');
    const env = (properties.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(env.TARGET_NAME).toBe('prod');
    expect(env.TARGET_URL_TEMPLATE).toBe('https://api.example.com/items/{id}');
    const additional = JSON.parse(String(env.ADDITIONAL_TARGETS));
    expect(additional).toEqual([
      {
        name: 'canary',
        urlTemplate: 'https://canary.example.com/items/{id}',
        method: 'HEAD',
        headersSecret: expect.stringContaining('canary/headers'),
        expect: [{ ids: '1-100', statuses: ['2xx'] }],
        verdictFailedBelowPercent: 99,
        defaults: { concurrency: 8, ratePerSecond: 20 },
      },
      { name: 'v2', urlTemplate: 'https://v2.example.com/things/{id}?full=1' },
    ]);
  });

  it('tells the function the target of each schedule that names one', () => {
    const { properties } = lambdaFunction(template, 'Function');
    const env = (properties.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(env.SCHEDULE_TARGETS).toBe(
      'prod-nightly=prod,canary-hourly=canary,v2-hourly=v2,v2-daily=v2',
    );
  });

  it('lets the function read the headers secret of each target that has one', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
            Resource: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith([':secret:canary/headers-??????'])]),
            }),
          }),
        ]),
      },
    });
  });

  it('sends each schedule its target, with the target defaults under its options', () => {
    const inputs = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((r) =>
      JSON.parse((r as { Properties: { Target: { Input: string } } }).Properties.Target.Input),
    );

    expect(inputs).toHaveLength(5);
    expect(inputs).toContainEqual({
      start: 1,
      end: 100,
      concurrency: 8,
      ratePerSecond: 20,
      target: 'canary',
      schedule: 'canary-hourly',
    });
    expect(inputs.filter((input) => input.target === 'v2')).toHaveLength(2);
  });

  it('alarms per target and per schedule, each on its own Target dimension', () => {
    for (const target of ['prod', 'canary', 'v2']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: MetricName.certificateDaysLeft,
        Dimensions: [{ Name: 'Target', Value: target }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: MetricName.newlyUnexpected,
      Dimensions: [
        { Name: 'Schedule', Value: 'v2-daily' },
        { Name: 'Target', Value: 'v2' },
      ],
    });
  });

  it('draws a dashboard row per additional target, read by its dimension', () => {
    const widgets = dashboardBody(template).widgets as unknown as Array<{
      properties: { markdown?: string; title?: string; metrics?: unknown[][] };
    }>;
    const titles = widgets.map((w) => w.properties.markdown ?? w.properties.title);

    expect(titles).toEqual(expect.arrayContaining(['## Target canary', '## Target v2']));
    const v2Verdicts = widgets.find((w) => w.properties.title === 'v2: verdicts (sweeps)');
    expect(JSON.stringify(v2Verdicts?.properties.metrics)).toContain('"Target","v2"');
  });

  it('has as many alarms as `status-sweep config` counts on paper', () => {
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length;
    const composites = Object.keys(
      template.findResources('AWS::CloudWatch::CompositeAlarm'),
    ).length;

    expect(planOf(config).alarms).toBe(alarms);
    expect(planOf(config).compositeAlarms).toBe(composites);
    expect(composites).toBe(2);
  });

  it("fails synth naming Lambda's 4 KB environment limit when the targets do not fit", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      name: `t${i}`,
      urlTemplate: `https://t${i}.example.com/items/{id}`,
      expect: [{ ids: '1-1025', statuses: ['2xx'] }],
    }));
    const tooMany = parseConfig({ targets: many }, 'status-sweep.config.json');

    expect(() => synthTemplate(stackPropsFromConfig(tooMany))).toThrow(
      /over Lambda's limit of 4096 bytes.*ADDITIONAL_TARGETS/,
    );
  });
});
