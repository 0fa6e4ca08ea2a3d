import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepScheduleSpec } from '../../infra/constructs/sweep-schedules.js';
import { onlyResource, synthTemplate } from './support/synth.js';

const kanto: SweepScheduleSpec = {
  name: 'kanto',
  expression: 'rate(1 hour)',
  start: 1,
  end: 151,
  options: { concurrency: 16, retries: 1 },
};
const johto: SweepScheduleSpec = {
  name: 'johto',
  expression: 'cron(0 6 * * ? *)',
  timeZone: 'Europe/Paris',
  start: 152,
  end: 251,
};

describe('the schedules', () => {
  let template: Template;
  let queueArn: unknown;
  beforeAll(() => {
    template = synthTemplate({ schedules: [kanto, johto] });
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));
    queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };
  });

  it('sends the sweep request plus the schedule name as the input, as-is', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'kanto',
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Input: JSON.stringify({
          start: 1,
          end: 151,
          concurrency: 16,
          retries: 1,
          schedule: 'kanto',
        }),
      }),
    });
  });

  it('runs cron expressions in the time zone given', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'johto',
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: Match.objectLike({
        Input: JSON.stringify({ start: 152, end: 251, schedule: 'johto' }),
      }),
    });
  });

  it('retries delivery twice for at most an hour, then dead-letters it', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(2);
    for (const schedule of schedules) {
      expect(schedule.Properties.Target).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: queueArn },
      });
    }
  });

  it('invokes the function with a role only Scheduler, for this group, may assume', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': {
                  'Fn::GetAtt': [Match.stringLikeRegexp('SchedulesGroup'), 'Arn'],
                },
              },
            },
          }),
        ],
      },
    });
  });

  it('keeps the schedules in a group of their own that teardown deletes', () => {
    template.hasResource('AWS::Scheduler::ScheduleGroup', { DeletionPolicy: 'Delete' });
    const group = onlyResource(template, 'AWS::Scheduler::ScheduleGroup');
    template.allResourcesProperties('AWS::Scheduler::Schedule', { GroupName: group.Name });
  });

  it('creates no schedule and no missed-sweep alarm when none are configured', () => {
    const none = synthTemplate();
    none.resourceCountIs('AWS::Scheduler::Schedule', 0);
    const alarms = Object.values(none.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.TreatMissingData)).not.toContain('breaching');
  });

  it("sends the schedule's expectations as the request's expect", () => {
    const expectations = [
      { ids: '1-1025', statuses: ['2xx'] },
      { ids: '1026-', statuses: [404] },
    ];

    const withRules = synthTemplate({ schedules: [{ ...johto, expect: expectations }] });

    withRules.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'johto',
      Target: Match.objectLike({
        Input: JSON.stringify({ start: 152, end: 251, expect: expectations, schedule: 'johto' }),
      }),
    });
  });

  it('accepts a range above MAX_IDS up to MAX_DISTRIBUTED_IDS: it runs as a distributed sweep', () => {
    const big = { ...kanto, start: 1, end: 1_000_000 };

    expect(() => synthTemplate({ schedules: [big] })).not.toThrow();
  });

  it.each([
    [
      { ...kanto, name: 'kanto region' },
      'schedule must be 1-64 of A-Z a-z 0-9 _ . -, got "kanto region"',
    ],
    [{ ...kanto, expression: 'at(2030-01-01T00:00:00)' }, 'expression must be "rate'],
    [{ ...kanto, start: 10, end: 1 }, 'schedule "kanto": end must be at least start (10), got 1'],
    [
      { ...kanto, options: { timeoutMs: 50 } },
      'schedule "kanto": timeoutMs must be an integer from 100 to 30000, got 50',
    ],
    [
      { ...kanto, start: 1, end: 1_000_001 },
      'schedule "kanto": end must leave at most 1000000 ids from start to end (MAX_DISTRIBUTED_IDS)',
    ],
    [
      { ...kanto, expect: [{ ids: '1026-', statuses: [404, 'ok'] }] },
      'schedule "kanto": expect.0.statuses.1 must be a status from 100 to 599 or "1xx"…"5xx", got "ok"',
    ],
    [
      { ...kanto, options: { concurrency: 0, retries: 9 } },
      'schedule "kanto": concurrency must be an integer from 1 to 256, got 0; retries must be an integer from 0 to 5, got 9',
    ],
  ])('fails synth for a schedule every run of which would fail: %j', (spec, message) => {
    expect(() => synthTemplate({ schedules: [spec as SweepScheduleSpec] })).toThrow(message);
  });

  it("checks a schedule against the deployment's own limits (MAX_CONCURRENCY)", () => {
    const spec = { ...kanto, options: { concurrency: 100 } };

    expect(() => synthTemplate({ function: { maxConcurrency: 64 }, schedules: [spec] })).toThrow(
      'schedule "kanto": concurrency must be an integer from 1 to 64, got 100',
    );
  });
});
