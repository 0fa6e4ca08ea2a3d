import { SecretValue, Validations } from 'aws-cdk-lib';
import {
  CfnMicrosoftTeamsChannelConfiguration,
  SlackChannelConfiguration,
} from 'aws-cdk-lib/aws-chatbot';
import {
  ApiDestination,
  Authorization,
  Connection,
  EventField,
  HttpMethod,
  Rule,
  RuleTargetInput,
} from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EVENT_SOURCE, SWEEP_FINISHED } from '../../lambda/notify/sweep-event.js';

/** A Slack channel, as AWS Chatbot (Amazon Q Developer in chat applications) names it. */
export interface SlackChannel {
  /** The workspace id, from the Chatbot console once the workspace is authorized. */
  readonly workspaceId: string;
  readonly channelId: string;
  /** @default - "status-sweep" */
  readonly configurationName?: string;
}

/** A Microsoft Teams channel, as AWS Chatbot names it (from the channel's link). */
export interface TeamsChannel {
  /** The team's id, from the Chatbot console once the team is authorized. */
  readonly teamId: string;
  /** The Microsoft Entra tenant the team belongs to. */
  readonly tenantId: string;
  /** The channel's id, from its link (`19%3a…%40thread.tacv2`, URL-decoded). */
  readonly channelId: string;
  /** @default - "status-sweep-teams" */
  readonly configurationName?: string;
}

/** A generic webhook, called through an EventBridge API destination. */
export interface Webhook {
  /** An https URL fixed at deploy time. */
  readonly url: string;
  /** The header that carries the credential. @default - "Authorization" */
  readonly headerName?: string;
  /**
   * The Secrets Manager secret (name or ARN) whose value is the header's value, read at deploy
   * time by CloudFormation; EventBridge keeps the credential in a secret of its own.
   */
  readonly secret: string;
  /** Calls per second at most. @default - 1 */
  readonly rateLimitPerSecond?: number;
}

export interface SweepRoutingProps {
  /** The alarms' topic: Slack hears the alarms through it; e-mail stays as it is. */
  readonly alarmTopic: ITopic;
  /** @default - no Slack channel */
  readonly slack?: SlackChannel;
  /** @default - no Teams channel */
  readonly teams?: TeamsChannel;
  /** @default - no webhook */
  readonly webhook?: Webhook;
}

/**
 * Which Sweep Finished events notify anyone: not ok, or with newly unexpected ids, and never
 * inside a mute window. A healthy sweep matches nothing.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export const NOTIFY_PATTERN = {
  source: [EVENT_SOURCE],
  detailType: [SWEEP_FINISHED],
  detail: {
    muted: [false],
    $or: [
      { verdict: [{ 'anything-but': ['ok'] }] },
      { changes: { newlyUnexpected: { count: [{ numeric: ['>', 0] }] } } },
    ],
  },
};

/**
 * Where a sweep's news goes: Slack and Teams (alarms and sweep events, through AWS Chatbot) and a
 * webhook (sweep events, through an API destination whose message names the ids).
 */
export class SweepRouting extends Construct {
  /** The rule that picks the sweeps worth telling about. */
  readonly rule: Rule;
  /** Sweep events for Chatbot, which hears SNS topics only. */
  readonly eventsTopic?: Topic;

  constructor(scope: Construct, id: string, props: SweepRoutingProps) {
    super(scope, id);
    this.rule = new Rule(this, 'NotifyRule', {
      description: 'Sweeps that are not ok or have newly unexpected ids, outside mute windows',
      eventPattern: NOTIFY_PATTERN,
    });
    if (props.slack || props.teams) this.eventsTopic = this.chatTopic();
    const topics = this.eventsTopic ? [props.alarmTopic, this.eventsTopic] : [];
    if (props.slack) this.slack(props.slack, topics);
    if (props.teams) this.teams(props.teams, topics);
    if (props.webhook) this.webhook(props.webhook);
  }

  /** The topic the rule feeds for Chatbot, which hears SNS topics only. */
  private chatTopic(): Topic {
    const topic = new Topic(this, 'SweepEvents', {
      displayName: 'Status Sweep events',
      enforceSSL: true,
    });
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Sweep events carry ids and counts, no secrets; EventBridge cannot publish under the AWS-managed SNS key.',
    });
    this.rule.addTarget(new targets.SnsTopic(topic));
    return topic;
  }

  private slack(slack: SlackChannel, topics: ITopic[]): void {
    new SlackChannelConfiguration(this, 'Slack', {
      slackChannelConfigurationName: slack.configurationName ?? 'status-sweep',
      slackWorkspaceId: slack.workspaceId,
      slackChannelId: slack.channelId,
      notificationTopics: topics,
    });
  }

  /**
   * aws-cdk-lib has no L2 for Teams: the L1, with a role Chatbot assumes that grants nothing
   * (the channel only hears notifications; nobody runs commands from it).
   * @see https://docs.aws.amazon.com/chatbot/latest/adminguide/teams-setup.html
   */
  private teams(teams: TeamsChannel, topics: ITopic[]): void {
    const role = new Role(this, 'TeamsRole', {
      assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
      description: 'AWS Chatbot for the Status Sweep Teams channel: notifications only',
    });
    new CfnMicrosoftTeamsChannelConfiguration(this, 'Teams', {
      configurationName: teams.configurationName ?? 'status-sweep-teams',
      iamRoleArn: role.roleArn,
      teamId: teams.teamId,
      teamsTenantId: teams.tenantId,
      teamsChannelId: teams.channelId,
      snsTopicArns: topics.map((topic) => topic.topicArn),
    });
  }

  private webhook(webhook: Webhook): void {
    const connection = new Connection(this, 'WebhookConnection', {
      description: 'The webhook credential, read from Secrets Manager',
      authorization: Authorization.apiKey(
        webhook.headerName ?? 'Authorization',
        SecretValue.secretsManager(webhook.secret),
      ),
    });
    const destination = new ApiDestination(this, 'Webhook', {
      connection,
      endpoint: webhook.url,
      httpMethod: HttpMethod.POST,
      rateLimitPerSecond: webhook.rateLimitPerSecond ?? 1,
    });
    const field = (path: string) => EventField.fromPath(`$.detail.${path}`);
    this.rule.addTarget(
      new targets.ApiDestination(destination, {
        event: RuleTargetInput.fromObject({
          text: `Status Sweep: ${field('target')} is ${field('verdict')}, unexpected ids ${field('unexpectedIds')}`,
          target: field('target'),
          schedule: field('schedule'),
          verdict: field('verdict'),
          unexpected: field('unexpected'),
          unexpectedIds: field('unexpectedIds'),
          flakyIds: field('flakyIds'),
          newlyUnexpectedIds: field('changes.newlyUnexpected.ids'),
          truncated: field('truncated'),
          dashboardUrl: field('dashboardUrl'),
          sweepId: field('sweepId'),
        }),
      }),
    );
  }
}
