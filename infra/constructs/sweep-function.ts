import { Duration, Token, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable, type Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_FUNCTION_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_IDS,
  DEFAULT_MEMORY_MB,
  DEFAULT_METRICS_NAMESPACE,
  DEFAULT_METRICS_STORAGE_RESOLUTION,
  DEFAULT_RESPONSE_MARGIN_MS,
  DEFAULT_SHARD_MAX_CONCURRENCY,
  DEFAULT_TARGET_METHOD,
  DEFAULT_TARGET_URL_TEMPLATE,
  DEFAULT_VERDICT_FAILED_BELOW_PERCENT,
  defaultMaxDistributedIds,
  defaultTargetName,
  loadConfig,
  MetricsMode,
} from '../../lambda/config.js';
import { type RequestParser, requestParser } from '../../lambda/request.js';
import type { SweepMethod } from '../../lambda/sweep/index.js';
import type { ExpectRule } from '../../lambda/verdict/expectations.js';
import { nodeFunction, REPO_ROOT } from './node-function.js';
import type { ResultsBucket } from './results-bucket.js';
import type { StateMachineArns } from './state-machine-arns.js';
import { SweepMetrics } from './sweep-metrics.js';

/** How the function is built and what it is told through its environment. */
export interface SweepFunctionProps {
  /** The handler module. @default - lambda/handler.ts in this repository */
  readonly entry?: string;
  /** Where each id is fetched; must contain `{id}`. @default - the PokéAPI pokemon endpoint */
  readonly targetUrlTemplate?: string;
  /** The `Target` metrics dimension. @default - the host of `targetUrlTemplate` */
  readonly targetName?: string;
  /** The method of every request. @default - GET */
  readonly targetMethod?: SweepMethod;
  /**
   * A secret holding a JSON object of request headers (an API key, say), sent with every
   * request; by name, complete ARN, or the secret itself. The function may read this secret only.
   * @default - no headers beyond user-agent and accept
   */
  readonly targetHeadersSecret?: ISecret | string;
  /** How long warm functions reuse a read of the headers secret. @default - 5 minutes */
  readonly targetHeadersMaxAge?: Duration;
  /** The most ids one invocation sweeps. @default - 10,000 ids */
  readonly maxIds?: number;
  /** The most concurrent requests a caller may ask for. @default - 256 requests */
  readonly maxConcurrency?: number;
  /** CloudWatch namespace for the sweep metrics. @default - "StatusSweep" */
  readonly metricsNamespace?: string;
  /** CloudWatch storage resolution in seconds. @default - 60 (standard resolution) */
  readonly metricsStorageResolution?: 1 | 60;
  /** Time kept back from the deadline to publish metrics and respond. @default - 3 s */
  readonly responseMargin?: Duration;
  /** @default - 1024 MB (DEFAULT_MEMORY_MB) */
  readonly memorySize?: number;
  /** @default - 120 s (DEFAULT_FUNCTION_TIMEOUT_MS) */
  readonly timeout?: Duration;
  /** How long the function's logs are kept. @default - 30 days */
  readonly logRetention?: RetentionDays;
  /** Concurrency reserved for (and capping) the function. @default - no reservation */
  readonly reservedConcurrency?: number;
  /** How long an asynchronous invocation may wait in Lambda's queue. @default - 1 hour */
  readonly maxEventAge?: Duration;
  /**
   * The state machine that runs ranges above `maxIds` as shards; the function may start its
   * executions and nothing else.
   * @default - no distributed sweeps: ranges above `maxIds` are refused
   */
  readonly stateMachine?: StateMachineArns;
  /** Ids per shard of a distributed sweep (one invocation each). @default - `maxIds` */
  readonly shardSize?: number;
  /**
   * Shards running at once (the Distributed Map's MaxConcurrency); a request's rate limit is
   * split evenly between them. @default - 10 shards
   */
  readonly shardMaxConcurrency?: number;
  /**
   * The most ids one distributed sweep covers.
   * @default - 1,000,000 ids, or 1,000 shards (the States.ArrayRange limit) if that is fewer
   */
  readonly maxDistributedIds?: number;
  /**
   * Where schedules' baselines are kept; the function may read and write `baselines/*` only.
   * @default - no baselines: sweeps have `changes: null`
   */
  readonly baselines?: ResultsBucket;
  /** The schedules' names: the only values `compareWith` accepts. @default - none */
  readonly scheduleNames?: readonly string[];
  /**
   * What each id should answer (EXPECT), unless a request or schedule brings its own rules.
   * @default - a final 2xx or 3xx for every id
   */
  readonly expect?: readonly ExpectRule[];
  /** A sweep fails below this percentage of attempted ids meeting their expectation. @default - 95 % */
  readonly verdictFailedBelowPercent?: number;
  /** A sweep is degraded above this p95 latency. @default - no latency bound */
  readonly verdictMaxP95?: Duration;
}

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
  /** Shards running at once: the Distributed Map must use the same number. */
  readonly shardMaxConcurrency: number;
  /** The function's timeout: one shard never runs longer. */
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: SweepFunctionProps = {}) {
    super(scope, id);
    const targetUrlTemplate = props.targetUrlTemplate ?? DEFAULT_TARGET_URL_TEMPLATE;
    const maxIds = props.maxIds ?? DEFAULT_MAX_IDS;
    const shardSize = props.shardSize ?? maxIds;
    this.shardMaxConcurrency = props.shardMaxConcurrency ?? DEFAULT_SHARD_MAX_CONCURRENCY;
    this.timeout = props.timeout ?? Duration.millis(DEFAULT_FUNCTION_TIMEOUT_MS);
    const headersSecret = this.targetHeadersSecret(props.targetHeadersSecret);
    this.environment = {
      TARGET_URL_TEMPLATE: targetUrlTemplate,
      TARGET_NAME: props.targetName ?? defaultTargetName(targetUrlTemplate),
      TARGET_METHOD: props.targetMethod ?? DEFAULT_TARGET_METHOD,
      ...(headersSecret && {
        TARGET_HEADERS_SECRET: headersSecret.secretFullArn ?? headersSecret.secretName,
      }),
      ...(props.targetHeadersMaxAge && {
        TARGET_HEADERS_MAX_AGE_SECONDS: String(props.targetHeadersMaxAge.toSeconds()),
      }),
      MAX_IDS: String(maxIds),
      MAX_CONCURRENCY: String(props.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY),
      METRICS_NAMESPACE: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
      METRICS_MODE: MetricsMode.cloudwatch,
      METRICS_STORAGE_RESOLUTION: String(
        props.metricsStorageResolution ?? DEFAULT_METRICS_STORAGE_RESOLUTION,
      ),
      RESPONSE_MARGIN_MS: String(
        props.responseMargin?.toMilliseconds() ?? DEFAULT_RESPONSE_MARGIN_MS,
      ),
      NODE_OPTIONS: '--enable-source-maps',
      ...(props.stateMachine && { STATE_MACHINE_ARN: props.stateMachine.stateMachineArn }),
      SHARD_SIZE: String(shardSize),
      SHARD_MAX_CONCURRENCY: String(this.shardMaxConcurrency),
      MAX_DISTRIBUTED_IDS: String(props.maxDistributedIds ?? defaultMaxDistributedIds(shardSize)),
      ...(props.baselines && { RESULTS_BUCKET: props.baselines.bucket.bucketName }),
      SCHEDULE_NAMES: (props.scheduleNames ?? []).join(','),
      ...(props.expect && { EXPECT: JSON.stringify(props.expect) }),
      VERDICT_FAILED_BELOW_PERCENT: String(
        props.verdictFailedBelowPercent ?? DEFAULT_VERDICT_FAILED_BELOW_PERCENT,
      ),
      ...(props.verdictMaxP95 && {
        VERDICT_MAX_P95_MS: String(props.verdictMaxP95.toMilliseconds()),
      }),
    };
    // The function's own validation, run at synth: a bad setting fails here, not at cold start.
    // Deploy-time values (the formatted state machine ARN) are left to the function.
    const config = loadConfig(
      Object.fromEntries(
        Object.entries(this.environment).filter(([, value]) => !Token.isUnresolved(value)),
      ),
    );
    this.metrics = new SweepMetrics(config.metricsNamespace, config.targetName);
    // The ARN is a token at synth: the state machine's presence says whether runs are possible.
    this.requests = requestParser(config, { distributed: props.stateMachine !== undefined });

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
      entry: props.entry ?? `${REPO_ROOT}lambda/handler.ts`,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: this.timeout,
      logRetention: props.logRetention,
      environment: this.environment,
      reservedConcurrentExecutions: props.reservedConcurrency,
      // One scheduled run is one sweep: Lambda's default two async retries would triple the load.
      retryAttempts: 0,
      maxEventAge: props.maxEventAge ?? Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    this.function = fn;
    this.role = role;
    this.grantPutSweepMetrics(fn);
    headersSecret?.grantRead(fn);
    props.stateMachine?.grantStartExecution(fn);
    props.baselines?.grantBaselines(fn, role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'PutMetricData and the X-Ray trace APIs take no resource ARN; PutMetricData is limited by a cloudwatch:namespace condition.',
    });
  }

  /** The headers secret as a construct: a complete ARN or a name (its ARN ends in 6 random characters). */
  private targetHeadersSecret(secret: ISecret | string | undefined): ISecret | undefined {
    if (typeof secret !== 'string') return secret;
    return secret.startsWith('arn:')
      ? Secret.fromSecretCompleteArn(this, 'TargetHeadersSecret', secret)
      : Secret.fromSecretNameV2(this, 'TargetHeadersSecret', secret);
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
