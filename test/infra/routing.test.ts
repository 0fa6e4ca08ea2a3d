import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../infra/config/read.js';
import { stackPropsFromConfig } from '../../infra/config/stack-props.js';
import { NOTIFY_PATTERN } from '../../infra/constructs/sweep-routing.js';
import { sweepStackPropsFromContext } from '../../infra/context.js';
import { SweepStack, type SweepStackProps } from '../../infra/sweep-stack.js';
import { synthTemplate } from './support/synth.js';

const NOTIFY: SweepStackProps['notify'] = {
  slack: { workspaceId: 'T0123456789', channelId: 'C0123456789' },
  teams: {
    teamId: '5f1c2a9e-0c1d-4e2f-9a3b-1c2d3e4f5a6b',
    tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    channelId: '19:0123456789abcdef@thread.tacv2',
  },
  webhook: { url: 'https://hooks.example.com/status', secret: 'status-sweep/webhook' },
};

/** Does EventBridge's pattern match `detail`? The subset of its matching NOTIFY_PATTERN uses. */
function matches(detail: Record<string, unknown>): boolean {
  const verdictNotOk = detail.verdict !== 'ok';
  const changes = detail.changes as { newlyUnexpected?: { count?: number } } | null;
  const newly = (changes?.newlyUnexpected?.count ?? 0) > 0;
  return detail.muted === false && (verdictNotOk || newly);
}

describe('routing sweep news', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({ notify: NOTIFY, alarms: { alarmEmail: 'oncall@example.com' } });
  });

  it('matches sweeps that are not ok or have newly unexpected ids, never muted ones, on the default bus', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['status-sweep'],
        'detail-type': ['Sweep Finished'],
        detail: NOTIFY_PATTERN.detail,
      },
    });
    // The pattern's intent, case by case: a healthy sweep notifies nobody.
    const ok = { verdict: 'ok', muted: false, changes: null };
    expect(matches(ok)).toBe(false);
    expect(matches({ ...ok, verdict: 'degraded' })).toBe(true);
    expect(matches({ ...ok, changes: { newlyUnexpected: { count: 2 } } })).toBe(true);
    expect(matches({ ...ok, verdict: 'failed', muted: true })).toBe(false);
  });

  it('tells a Slack channel through AWS Chatbot of both the alarms and the sweep events', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    const byName = (display: string) =>
      Object.entries(topics).find(([, t]) => t.Properties?.DisplayName === display)?.[0];
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123456789',
      SlackChannelId: 'C0123456789',
      SnsTopicArns: Match.arrayWith([
        { Ref: byName('Status Sweep alarms') },
        { Ref: byName('Status Sweep events') },
      ]),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: Match.arrayWith([Match.objectLike({ Arn: { Ref: byName('Status Sweep events') } })]),
    });
  });

  it('tells a Teams channel the same, through a Chatbot role that grants nothing', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    const byName = (display: string) =>
      Object.entries(topics).find(([, t]) => t.Properties?.DisplayName === display)?.[0];
    const [teams, ...others] = Object.values(
      template.findResources('AWS::Chatbot::MicrosoftTeamsChannelConfiguration'),
    );
    expect(others).toEqual([]);
    expect(teams?.Properties).toMatchObject({
      TeamId: NOTIFY?.teams?.teamId,
      TeamsTenantId: NOTIFY?.teams?.tenantId,
      TeamsChannelId: NOTIFY?.teams?.channelId,
      SnsTopicArns: [
        { Ref: byName('Status Sweep alarms') },
        { Ref: byName('Status Sweep events') },
      ],
    });
    const arn = teams?.Properties.IamRoleArn as { 'Fn::GetAtt': [string, string] } | undefined;
    const roleId = arn?.['Fn::GetAtt'][0] ?? expect.fail('the Teams role is not referenced');
    const role = template.findResources('AWS::IAM::Role')[roleId];
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain(
      'chatbot.amazonaws.com',
    );
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.Policies).toBeUndefined();
    expect(
      Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
        JSON.stringify(p.Properties.Roles).includes(roleId),
      ),
    ).toEqual([]);
  });

  it('calls the webhook through an API destination whose credential comes from Secrets Manager, naming the ids', () => {
    template.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'Authorization',
          ApiKeyValue: '{{resolve:secretsmanager:status-sweep/webhook:SecretString:::}}',
        },
      },
    });
    template.hasResourceProperties('AWS::Events::ApiDestination', {
      InvocationEndpoint: 'https://hooks.example.com/status',
      HttpMethod: 'POST',
    });
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    const webhook = rules
      .flatMap((r) => r.Properties.Targets as { InputTransformer?: Record<string, unknown> }[])
      .find((t) => t.InputTransformer)?.InputTransformer as {
      InputPathsMap: Record<string, string>;
      InputTemplate: string;
    };
    expect(Object.values(webhook.InputPathsMap)).toEqual(
      expect.arrayContaining(['$.detail.unexpectedIds', '$.detail.flakyIds', '$.detail.verdict']),
    );
    expect(webhook.InputTemplate).toMatch(/unexpected ids <detail-unexpectedIds>/);
  });

  it('keeps the e-mail on the alarm topic as it was', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });

  it('adds nothing without a Slack channel or a webhook', () => {
    const plain = synthTemplate();
    plain.resourceCountIs('AWS::Events::Connection', 0);
    plain.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    expect(
      Object.values(plain.findResources('AWS::Events::Rule')).filter((r) =>
        JSON.stringify(r.Properties.EventPattern ?? {}).includes('Sweep Finished'),
      ),
    ).toEqual([]);
  });

  it('is set the same way from status-sweep.config.json and from -c notify, and a misspelt key costs one line', () => {
    const config = parseConfig(
      { targets: [{ name: 'demo', urlTemplate: 'https://demo.example.com/{id}' }], notify: NOTIFY },
      'status-sweep.config.json',
    );
    expect(stackPropsFromConfig(config).notify).toEqual(NOTIFY);
    const context = new App({ context: { notify: JSON.stringify(NOTIFY) } }).node;
    expect(sweepStackPropsFromContext(context).notify).toEqual(NOTIFY);

    expect(() =>
      parseConfig(
        {
          targets: [{ name: 'demo', urlTemplate: 'https://demo.example.com/{id}' }],
          notify: { slack: { workspaceId: 'T0123456789', chanelId: 'C0123456789' } },
        },
        'status-sweep.config.json',
      ),
    ).toThrow(/notify\.slack\.chanelId.*channelId/s);
    expect(() =>
      sweepStackPropsFromContext(
        new App({
          context: { notify: '{"webhook":{"url":"http://plain.example.com","secret":"s"}}' },
        }).node,
      ),
    ).toThrow(/notify\.webhook\.url: must be an https URL/);
  });

  it('passes cdk-nag AwsSolutions, with a muted schedule alarming after 2 of 3', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    new SweepStack(app, 'StatusSweep', {
      notify: NOTIFY,
      schedules: [
        {
          name: 'nightly',
          expression: 'rate(1 hour)',
          start: 1,
          end: 10,
          alarmAfter: { sweeps: 2, of: 3 },
          mute: [{ cron: '0 2 ? * SUN *', minutes: 120 }],
        },
      ],
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    const assembly = app.synth();

    const report = JSON.parse(
      readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  });

  it('sends a schedule’s mute windows in its input, and fails synth on one it cannot read', () => {
    const mute = [{ cron: '0 2 ? * SUN *', minutes: 120, timeZone: 'Europe/Paris' }];
    const schedule = { name: 'nightly', expression: 'rate(1 hour)', start: 1, end: 10 };

    const withMute = synthTemplate({ schedules: [{ ...schedule, mute }] });

    withMute.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        Input: JSON.stringify({ start: 1, end: 10, mute, schedule: 'nightly' }),
      }),
    });
    expect(() =>
      synthTemplate({
        schedules: [{ ...schedule, mute: [{ cron: '0 2 * * SUN *', minutes: 5 }] }],
      }),
    ).toThrow(/mute/);
  });
});
