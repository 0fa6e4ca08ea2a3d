import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULT_MEMORY_MB } from '../../lambda/ground/defaults.js';
import { BUNDLES } from '../bundle-budget.js';
import { nodeFunction, REPO_ROOT } from './node-function.js';
import { RESULTS_PREFIX } from './results-bucket.js';
import type { StateMachineArns } from './state-machine-arns.js';

/** How the runs function is built; its configuration comes from the sweep function's. */
export interface RunsFunctionProps {
  /** The handler module. @default - lambda/entry/runs-handler.ts in this repository */
  readonly entry?: string;
  /** The sweep function's environment (target, limits, metrics): the same config, read the same way. */
  readonly environment: Readonly<Record<string, string>>;
  /** The state machine whose runs this function reports and reduces. */
  readonly stateMachine: StateMachineArns;
  /** Where the Map's ResultWriter puts shard aggregates and this function puts merged results. */
  readonly resultsBucket: IBucket;
  /** @default - 1024 MB */
  readonly memorySize?: number;
  /** In ms, whole seconds. @default - 60 s (API Gateway answers GET /sweeps/{id} within 30 s anyway) */
  readonly timeoutMs?: number;
  /** How long the function's logs are kept. @default - 30 days */
  readonly logRetention?: RetentionDays;
}

/**
 * The runs function: `GET /sweeps/{id}` and the state machine's reduce task. A function of its own
 * because it needs the S3 client (~195 KB minified) that the sweep function's cold start must not
 * load. Same bundling, logging and tracing as the sweep function.
 */
export class RunsFunction extends Construct {
  readonly function: IFunction;
  readonly role: Role;
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RunsFunctionProps) {
    super(scope, id);
    const { resultsBucket, stateMachine } = props;
    this.environment = {
      ...withoutRequestShape(props.environment),
      STATE_MACHINE_ARN: stateMachine.stateMachineArn,
      RESULTS_BUCKET: resultsBucket.bucketName,
    };
    const { function: fn, role } = nodeFunction(this, {
      entry: props.entry ?? `${REPO_ROOT}${BUNDLES.runs.entry}`,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: Duration.millis(props.timeoutMs ?? 60_000),
      logRetention: props.logRetention,
      environment: this.environment,
    });
    this.function = fn;
    this.role = role;

    // Reads the ResultWriter's manifest and shard files, and merged results it wrote before.
    resultsBucket.grantRead(fn);
    resultsBucket.grantPut(fn, `${RESULTS_PREFIX}*`);
    stateMachine.grantReadRuns(fn);

    const bucketArn = `<${Stack.of(this).getLogicalId(resultsBucket.node.defaultChild as CfnElement)}.Arn>`;
    const states = (resource: string) =>
      `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${resource}`;
    const acknowledge = (id: string, reason: string) =>
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
    acknowledge(
      'Resource::*',
      'PutMetricData and the X-Ray trace APIs take no resource ARN; PutMetricData is limited by a cloudwatch:namespace condition.',
    );
    const readReason =
      'grantRead of the one results bucket: the object key is the run, not known in advance.';
    for (const action of ['s3:GetObject*', 's3:GetBucket*']) {
      acknowledge(`Action::${action}`, readReason);
    }
    acknowledge(
      'Action::s3:List*',
      'ListBucket makes a result not yet written read as 404 NoSuchKey, not 403 AccessDenied; one bucket only.',
    );
    acknowledge(`Resource::${bucketArn}/*`, readReason);
    acknowledge(
      `Resource::${bucketArn}/${RESULTS_PREFIX}*`,
      'Merged results are written under results/ of the one results bucket, one object per run.',
    );
    acknowledge(
      `Action::s3:Abort*`,
      'grantPut includes aborting its own multipart uploads, under results/ only.',
    );
    acknowledge(
      `Resource::${states(`execution:${stateMachine.stateMachineName}:*`)}`,
      'Executions are named by sweep id at run time; the grant covers executions of the one state machine.',
    );
    acknowledge(
      `Resource::${states(`mapRun:${stateMachine.stateMachineName}/*`)}`,
      'Map Run ids are generated at run time; the grant covers Map Runs of the one state machine.',
    );
  }
}

/** The runs function never fetches the target: it gets no request shape, nor a grant to read it. */
const REQUEST_SHAPE_SETTINGS: ReadonlySet<string> = new Set([
  'TARGET_METHOD',
  'TARGET_HEADERS_SECRET',
  'TARGET_HEADERS_MAX_AGE_MS',
]);

function withoutRequestShape(
  environment: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).filter(([name]) => !REQUEST_SHAPE_SETTINGS.has(name)),
  );
}
