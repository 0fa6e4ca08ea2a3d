import { type CfnElement, type Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  DefinitionBody,
  DistributedMap,
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
import { REDUCE_KIND, SHARD_KIND } from '../../lambda/distributed/messages.js';
import { SHARD_RETRY } from '../../lambda/distributed/retries.js';
import { TOLERATED_FAILURE_PERCENTAGE } from '../../lambda/distributed/tolerance.js';
import { MAP_RESULTS_PREFIX } from './results-bucket.js';
import {
  PERMANENT_TASK_ERRORS,
  REDUCE_RETRY,
  SERVICE_RETRY,
  SHARD_RETRY_INTERVAL,
  shardRetriesWithin,
  THROTTLE_RETRY,
} from './shard-retries.js';
import type { StateMachineArns } from './state-machine-arns.js';

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
  /** Shards running at once (the Map's MaxConcurrency); the sweep function splits rate limits by the same number. */
  readonly shardMaxConcurrency: number;
  /**
   * Shards that may fail for good (their ids reported not attempted, in `failedShards`) before
   * the execution fails instead. @default - 10 percent (TOLERATED_FAILURE_PERCENTAGE, which the
   * local runs apply too): more fails the execution
   */
  readonly toleratedFailurePercentage?: number;
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
    const shardRetries = shardRetriesWithin(props.sweepTimeout);

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
      // Our own retriers, whose waits shardRetriesWithin counts (CDK's would wait up to 126 s).
      retryOnServiceExceptions: false,
    });
    // Step Functions takes the first retrier that matches: the specific errors before TaskFailed.
    shard.addRetry(SERVICE_RETRY);
    shard.addRetry(THROTTLE_RETRY);
    shard.addRetry({ errors: PERMANENT_TASK_ERRORS, maxAttempts: 0 });
    // The function ran and failed (a crash). A retry sweeps the shard again inside the same
    // child execution, so it holds its Map slot and the rate stays bounded.
    if (shardRetries > 0) {
      shard.addRetry({
        errors: ['States.TaskFailed'],
        interval: SHARD_RETRY_INTERVAL,
        backoffRate: SHARD_RETRY.backoffRate,
        maxAttempts: shardRetries,
      });
    }

    const shards = new DistributedMap(this, 'Shards', {
      itemsPath: JsonPath.stringAt('$.plan.shardStarts'),
      itemSelector: {
        kind: SHARD_KIND,
        sweepId: JsonPath.stringAt('$.run.sweepId'),
        shardStart: JsonPath.numberAt('$$.Map.Item.Value'),
        shardSize: JsonPath.numberAt('$.shardSize'),
        rangeEnd: JsonPath.numberAt('$.range.end'),
        options: JsonPath.objectAt('$.shardOptions'),
      },
      maxConcurrency: props.shardMaxConcurrency,
      // A few shards failing for good are reduced as "not attempted" and named in failedShards;
      // beyond the tolerance the execution fails (and its alarm fires).
      toleratedFailurePercentage: props.toleratedFailurePercentage ?? TOLERATED_FAILURE_PERCENTAGE,
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
        kind: REDUCE_KIND,
        run: JsonPath.objectAt('$.run'),
        startedAt: JsonPath.stringAt('$$.Execution.StartTime'),
        results: JsonPath.objectAt('$.mapResult.ResultWriterDetails'),
      }),
      outputPath: '$.Payload',
      retryOnServiceExceptions: true,
    });
    reduce.addRetry(THROTTLE_RETRY);
    // After the specific errors: a refused event or setting never, any other failure twice.
    reduce.addRetry({ errors: PERMANENT_TASK_ERRORS, maxAttempts: 0 });
    reduce.addRetry(REDUCE_RETRY);

    // Under /aws/vendedlogs/, as AWS advises, so that the account's CloudWatch Logs resource
    // policy does not grow with every state machine and log group.
    // @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.arns.stateMachineName}`,
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
