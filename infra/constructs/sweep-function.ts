import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable, type Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { loadConfig } from '../../lambda/ground/config.js';
import {
  DEFAULT_FUNCTION_TIMEOUT_MS,
  DEFAULT_MEMORY_MB,
  DEFAULT_SHARD_MAX_CONCURRENCY,
} from '../../lambda/ground/defaults.js';
import { EventsMode } from '../../lambda/ground/settings.js';
import type { RequestParser } from '../../lambda/request/request.js';
import { targetedParser } from '../../lambda/request/targeted.js';
import { BUNDLES } from '../bundle-budget.js';
import { nodeFunction, REPO_ROOT } from './node-function.js';
import { sweepEnvironment } from './sweep-environment.js';
import type { SweepFunctionProps } from './sweep-function-props.js';
import { SweepMetrics } from './sweep-metrics.js';

/**
 * The sweep function: Node 24 on arm64, bundled locally with esbuild as minified ESM with the AWS
 * SDK inside, logging JSON to its own log group, traced with X-Ray. Failed asynchronous
 * invocations (schedules, `aws lambda invoke --invocation-type Event`) land in `deadLetterQueue`.
 */
export class SweepFunction extends Construct {
  readonly function: IFunction;
  readonly role: Role;
  /** Failed asynchronous invocations and undeliverable scheduled invocations. SSL enforced. */
  readonly deadLetterQueue: Queue;
  /** The sweep metrics this function publishes. */
  readonly metrics: SweepMetrics;
  /** The environment the function runs with (validated at synth like at cold start). */
  readonly environment: Readonly<Record<string, string>>;
  /** The function's own request parser, built from that environment: schedules are checked by it. */
  readonly requests: RequestParser;
  /** Each additional target's metrics (its `Target` dimension), by name. */
  readonly additionalMetrics: Readonly<Record<string, SweepMetrics>>;
  /** Shards running at once: the Distributed Map must use the same number. */
  readonly shardMaxConcurrency: number;
  /** The function's timeout: one shard never runs longer. */
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: SweepFunctionProps = {}) {
    super(scope, id);
    this.shardMaxConcurrency = props.shardMaxConcurrency ?? DEFAULT_SHARD_MAX_CONCURRENCY;
    this.timeout = Duration.millis(props.timeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS);
    const headersSecret = this.targetHeadersSecret(props.targetHeadersSecret);
    const additionalSecrets: Record<string, ISecret> = {};
    for (const { name, headersSecret: secret } of props.additionalTargets ?? []) {
      const resolved = this.targetHeadersSecret(secret, name);
      if (resolved) additionalSecrets[name] = resolved;
    }
    this.environment = sweepEnvironment(props, {
      targetHeadersSecret: headersSecret,
      additionalSecrets,
      shardMaxConcurrency: this.shardMaxConcurrency,
    });
    // The function's own validation, run at synth: a bad setting fails here, not at cold start.
    // Deploy-time values (the formatted state machine ARN) are left to the function.
    const config = loadConfig(
      Object.fromEntries(
        Object.entries(this.environment).filter(([, value]) => !Token.isUnresolved(value)),
      ),
    );
    this.metrics = new SweepMetrics(config.metricsNamespace, config.targetName);
    this.additionalMetrics = Object.fromEntries(
      config.targets
        .slice(1)
        .map((target) => [target.name, new SweepMetrics(config.metricsNamespace, target.name)]),
    );
    // The ARN is a token at synth: the state machine's presence says whether runs are possible.
    this.requests = targetedParser(config, { distributed: props.stateMachine !== undefined });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue; messages in it are inspected, not retried.',
    });

    const { function: fn, role } = nodeFunction(this, {
      entry: props.entry ?? `${REPO_ROOT}${BUNDLES.sweep.entry}`,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: this.timeout,
      logRetention: props.logRetention,
      environment: this.environment,
      reservedConcurrentExecutions: props.reservedConcurrency,
      // One scheduled invocation is one sweep: Lambda's default two async retries would triple
      // the load.
      retryAttempts: 0,
      maxEventAge:
        props.maxEventAgeMs === undefined
          ? Duration.hours(1)
          : Duration.millis(props.maxEventAgeMs),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    this.function = fn;
    this.role = role;
    this.grantPutSweepMetrics(fn);
    this.grantPutSweepEvents(fn);
    headersSecret?.grantRead(fn);
    for (const secret of Object.values(additionalSecrets)) secret.grantRead(fn);
    props.stateMachine?.grantStartExecution(fn);
    if (props.stateMachine) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${props.stateMachine.stateMachineName}:*]`,
        reason:
          'DescribeExecution reads which target a running run sweeps (one run per target); executions are named by sweep id at run time.',
      });
    }
    props.baselines?.grantBaselines(fn, role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'PutMetricData and the X-Ray trace APIs take no resource ARN; PutMetricData is limited by a cloudwatch:namespace condition.',
    });
  }

  /** The headers secret as a construct: a complete ARN or a name (its ARN ends in 6 random characters). */
  private targetHeadersSecret(
    secret: ISecret | string | undefined,
    target?: string,
  ): ISecret | undefined {
    if (typeof secret !== 'string') return secret;
    // The first target's id stays as it was: a new id would replace nothing, but reads better kept.
    const id = target === undefined ? 'TargetHeadersSecret' : `TargetHeadersSecret-${target}`;
    return secret.startsWith('arn:')
      ? Secret.fromSecretCompleteArn(this, id, secret)
      : Secret.fromSecretNameV2(this, id, secret);
  }

  /**
   * Lets `grantee` put the Sweep Finished event on the account's default bus, and on no other;
   * nothing when the events are off.
   */
  grantPutSweepEvents(grantee: IGrantable): Grant | undefined {
    if (this.environment.EVENTS_MODE === EventsMode.off) return undefined;
    return Grant.addToPrincipal({
      grantee,
      actions: ['events:PutEvents'],
      resourceArns: [
        Stack.of(this).formatArn({
          service: 'events',
          resource: 'event-bus',
          resourceName: 'default',
        }),
      ],
    });
  }

  /** Lets `grantee` call PutMetricData, for this function's namespace only. */
  grantPutSweepMetrics(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['cloudwatch:PutMetricData'],
      // PutMetricData has no resource-level permissions; the namespace condition is the scope.
      resourceArns: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': this.metrics.namespace } },
    });
  }
}
