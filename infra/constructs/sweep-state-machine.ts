import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  DefinitionBody,
  DistributedMap,
  JitterType,
  JsonPath,
  LogLevel,
  Pass,
  ResultWriterV2,
  StateMachine,
  StateMachineType,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2 } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { MAP_RESULTS_PREFIX } from './results-bucket.js';
import type { StateMachineArns } from './state-machine-arns.js';

/**
 * An Express child execution runs at most five minutes, retries included.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
const EXPRESS_MAX_DURATION = Duration.minutes(5);
/** Lambda errors that mean the function was throttled and never ran: safe to retry patiently. */
const LAMBDA_THROTTLED = 'Lambda.TooManyRequestsException';
/** A failed shard is swept again this many times (the first retry after 2 s, then 4 s). */
const SHARD_RETRIES = 2;
/**
 * Failures a retry would repeat: a shard event or configuration the function refuses (the `name`s
 * of lambda/errors.ts), and a timeout: the function stops before its deadline on its own, so a
 * timed-out shard hung, and a second wait would run past the Express child's five minutes. (A
 * timeout reported as Lambda.Unknown, like an out-of-memory crash, is retried: a fresh sandbox may
 * do better; the five-minute limit still bounds it.)
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
const PERMANENT_SHARD_ERRORS = ['InvalidRequestError', 'ConfigError', 'Sandbox.Timedout'];

export interface SweepStateMachineProps {
  /** The fixed name and formatted ARNs (shared with the functions it invokes). */
  readonly arns: StateMachineArns;
  /** Sweeps one shard per Map item. */
  readonly sweepFunction: IFunction;
  /** The sweep function's timeout: a shard attempt never takes longer. */
  readonly sweepTimeout: Duration;
  /** Merges the shard aggregates (the reduce task). */
  readonly runsFunction: IFunction;
  /** The ResultWriter writes each Map Run's shard results here, under `map-results/`. */
  readonly resultsBucket: IBucket;
  /** Shards running at once; the sweep function splits rate limits by the same number. */
  readonly maxConcurrency: number;
  /** How long the execution logs are kept. @default - 30 days */
  readonly logRetention?: RetentionDays;
}

/**
 * The distributed sweep: Plan (shard starts with States.ArrayRange) → Shards (Distributed Map of
 * Express child executions, each invoking the sweep function for one shard, results to S3) →
 * Reduce (the runs function merges them exactly). Standard type, logged (no execution data), traced.
 */
export class SweepStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SweepStateMachineProps) {
    super(scope, id);
    // ResultWriter (v1) is deprecated; v2 is chosen by this flag, set here so that the state
    // machine is the same whatever the app's context says.
    this.node.setContext(STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true);
    if (props.sweepTimeout.toSeconds() >= EXPRESS_MAX_DURATION.toSeconds()) {
      throw new Error(
        `the sweep function's timeout (${props.sweepTimeout.toSeconds()} s) must be under the ${EXPRESS_MAX_DURATION.toSeconds()} s an Express child execution may run, or no shard could finish`,
      );
    }

    const plan = new Pass(this, 'Plan', {
      parameters: {
        shardStarts: JsonPath.arrayRange(
          JsonPath.numberAt('$.range.start'),
          JsonPath.numberAt('$.range.end'),
          JsonPath.numberAt('$.shardSize'),
        ),
      },
      resultPath: '$.plan',
    });

    const shard = new LambdaInvoke(this, 'Shard', {
      lambdaFunction: props.sweepFunction,
      payload: TaskInput.fromJsonPathAt('$'),
      outputPath: '$.Payload',
      // Lambda.ServiceException & co. (the function never ran): CDK's retrier, 2 s × 2, 6 attempts.
      retryOnServiceExceptions: true,
    });
    shard.addRetry({
      errors: [LAMBDA_THROTTLED],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 4,
      jitterStrategy: JitterType.FULL,
    });
    shard.addRetry({ errors: PERMANENT_SHARD_ERRORS, maxAttempts: 0 });
    // The function ran and failed (crash, out of memory). A retry sweeps the shard again
    // inside the same child execution, so it holds its Map slot and the rate stays bounded.
    shard.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: SHARD_RETRIES,
    });

    const shards = new DistributedMap(this, 'Shards', {
      itemsPath: JsonPath.stringAt('$.plan.shardStarts'),
      itemSelector: {
        kind: 'shard',
        sweepId: JsonPath.stringAt('$.run.sweepId'),
        shardStart: JsonPath.numberAt('$$.Map.Item.Value'),
        shardSize: JsonPath.numberAt('$.shardSize'),
        rangeEnd: JsonPath.numberAt('$.range.end'),
        options: JsonPath.objectAt('$.shardOptions'),
      },
      maxConcurrency: props.maxConcurrency,
      // A shard that fails for good is reduced as "not attempted": the run still accounts for every id.
      toleratedFailurePercentage: 100,
      mapExecutionType: StateMachineType.EXPRESS,
      resultWriterV2: new ResultWriterV2({
        bucket: props.resultsBucket,
        prefix: MAP_RESULTS_PREFIX,
      }),
      resultPath: '$.mapResult',
    });
    shards.itemProcessor(shard);

    const reduce = new LambdaInvoke(this, 'Reduce', {
      lambdaFunction: props.runsFunction,
      payload: TaskInput.fromObject({
        kind: 'reduce',
        run: JsonPath.objectAt('$.run'),
        startedAt: JsonPath.stringAt('$$.Execution.StartTime'),
        results: JsonPath.objectAt('$.mapResult.ResultWriterDetails'),
      }),
      outputPath: '$.Payload',
      retryOnServiceExceptions: true,
    });
    reduce.addRetry({
      errors: [LAMBDA_THROTTLED],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 4,
      jitterStrategy: JitterType.FULL,
    });

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.arns.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      comment: 'Status Sweep: one range as shards of the sweep function, merged exactly',
      definitionBody: DefinitionBody.fromChainable(plan.next(shards).next(reduce)),
      // ALL events for progress and errors, but no ids or results in the logs.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    this.acknowledgeFindings(props);
  }

  /** The wildcards CDK's grants need on the state machine's role, each with its reason. */
  private acknowledgeFindings(props: SweepStateMachineProps): void {
    const stack = Stack.of(this);
    const arnOf = (fn: IFunction) =>
      `<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>`;
    const bucket = `<${stack.getLogicalId(props.resultsBucket.node.defaultChild as CfnElement)}.Arn>`;
    const acknowledge = (id: string, reason: string) =>
      Validations.of(this.stateMachine).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
    for (const fn of [props.sweepFunction, props.runsFunction]) {
      acknowledge(
        `Resource::${arnOf(fn)}:*`,
        'The Lambda grant also covers versions and aliases of this one function (ARN:*).',
      );
    }
    // CDK's DistributedMapPolicy: start, describe, stop and redrive the Map's child executions.
    const ownName = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(this.stateMachine.node.defaultChild as CfnElement)}"}]}]}`;
    for (const executions of [`${ownName}:*`, `${ownName}/*:*`]) {
      acknowledge(
        `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${executions}`,
        'Distributed Map child executions are named at run time; the grant covers this state machine only.',
      );
    }
    acknowledge(
      'Resource::*',
      'X-Ray trace APIs and CloudWatch Logs delivery APIs take no resource ARN.',
    );
    acknowledge(
      `Resource::arn:<AWS::Partition>:s3:::<${bucket.slice(1, -5)}>/*`,
      'The ResultWriter writes one object per Map Run, named at run time, in the one results bucket.',
    );
  }
}
