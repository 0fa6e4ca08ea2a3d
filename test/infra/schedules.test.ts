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

  it.each([
    [{ ...kanto, name: 'kanto region' }, /name must be 1-64 of/],
    [{ ...kanto, expression: 'at(2030-01-01T00:00:00)' }, /expression must be "rate/],
    [{ ...kanto, start: 10, end: 1 }, /0 <= start <= end, got 10-1/],
  ])('refuses a schedule it cannot run: %j', (spec, message) => {
    expect(() => synthTemplate({ schedules: [spec] })).toThrow(message);
  });
});
