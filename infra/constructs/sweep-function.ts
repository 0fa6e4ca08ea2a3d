import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type IFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_TARGET_URL_TEMPLATE, ID_PLACEHOLDER, loadConfig } from '../../lambda/config.js';
import { DEFAULT_NAMESPACE } from '../../lambda/metrics/names.js';
import { SweepMetrics } from './sweep-metrics.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM bundles have no `require`; CJS dependencies bundled into them call it, so the banner
 * recreates it from `import.meta.url`.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __sweepCreateRequire } from 'node:module'; const require = __sweepCreateRequire(import.meta.url);";

/** How the function is built and what it is told through its environment. */
export interface SweepFunctionProps {
  /** The handler module. @default - lambda/handler.ts in this repository */
  readonly entry?: string;
  /** Where each id is fetched; must contain `{id}`. @default - the PokéAPI pokemon endpoint */
  readonly targetUrlTemplate?: string;
  /** The `Target` metrics dimension. @default - the host of `targetUrlTemplate` */
  readonly targetName?: string;
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
  /** @default - 1024 MB */
  readonly memorySize?: number;
  /** @default - 120 s */
  readonly timeout?: Duration;
  /** How long the function's logs are kept. @default - 30 days */
  readonly logRetention?: RetentionDays;
  /** Concurrency reserved for (and capping) the function. @default - no reservation */
  readonly reservedConcurrency?: number;
  /** How long an asynchronous invocation may wait in Lambda's queue. @default - 1 hour */
  readonly maxEventAge?: Duration;
}

/**
 * The sweep function: Node 24 on arm64, bundled locally with esbuild as minified ESM with the AWS
 * SDK inside, logging JSON to its own log group, traced with X-Ray. Failed asynchronous
 * invocations (schedules, `aws lambda invoke --invocation-type Event`) land in `deadLetterQueue`.
 */
export class SweepFunction extends Construct {
  readonly function: IFunction;
  /** Failed asynchronous invocations and undeliverable scheduled invocations. SSL enforced. */
  readonly deadLetterQueue: Queue;
  /** The sweep metrics this function publishes. */
  readonly metrics: SweepMetrics;
  /** The environment the function runs with (validated at synth like at cold start). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SweepFunctionProps = {}) {
    super(scope, id);
    const targetUrlTemplate = props.targetUrlTemplate ?? DEFAULT_TARGET_URL_TEMPLATE;
    this.environment = {
      TARGET_URL_TEMPLATE: targetUrlTemplate,
      TARGET_NAME: props.targetName ?? defaultTargetName(targetUrlTemplate),
      MAX_IDS: String(props.maxIds ?? 10_000),
      MAX_CONCURRENCY: String(props.maxConcurrency ?? 256),
      METRICS_NAMESPACE: props.metricsNamespace ?? DEFAULT_NAMESPACE,
      METRICS_MODE: 'cloudwatch',
      METRICS_STORAGE_RESOLUTION: String(props.metricsStorageResolution ?? 60),
      RESPONSE_MARGIN_MS: String((props.responseMargin ?? Duration.seconds(3)).toMilliseconds()),
      NODE_OPTIONS: '--enable-source-maps',
    };
    // The function's own validation, run at synth: a bad setting fails here, not at cold start.
    const config = loadConfig(this.environment);
    this.metrics = new SweepMetrics(config.metricsNamespace, config.targetName);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue; messages in it are inspected, not retried.',
    });

    const logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    // An explicit role so that logging is a grant on our log group, not a managed policy on "*".
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);

    const fn = new NodejsFunction(this, 'Handler', {
      entry: props.entry ?? `${REPO_ROOT}lambda/handler.ts`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(120),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      environment: this.environment,
      reservedConcurrentExecutions: props.reservedConcurrency,
      // One scheduled run is one sweep: Lambda's default two async retries would triple the load.
      retryAttempts: 0,
      maxEventAge: props.maxEventAge ?? Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings, not a copy of every source file (4 MB → ~1 MB).
        sourcesContent: false,
        // The SDK is bundled: a pinned, tree-shaken copy loads faster than the runtime's.
        bundleAwsSDK: true,
        externalModules: [],
      },
    });
    this.function = fn;
    this.grantPutSweepMetrics(fn);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'PutMetricData and the X-Ray trace APIs take no resource ARN; PutMetricData is limited by a cloudwatch:namespace condition.',
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

/** The same default the function applies (lambda/config.ts): the host of the URL template. */
function defaultTargetName(template: string): string {
  return new URL(template.replaceAll(ID_PLACEHOLDER, '1')).host;
}
