import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASELINES_PREFIX } from '../../lambda/baseline/store.js';
import { EXPRESS_MAX_DURATION_MS } from '../../lambda/distributed/limits.js';
import { REDUCE_KIND, SHARD_KIND } from '../../lambda/distributed/messages.js';
import { TOLERATED_FAILURE_PERCENTAGE } from '../../lambda/distributed/tolerance.js';
import { NEVER_RETRIED_ERRORS } from '../../lambda/ground/errors.js';
import {
  formattedStateMachineArn,
  formattedStatesArn,
  lambdaFunction,
  onlyResource,
  roleStatements,
  synthTemplate,
} from './support/synth.js';

/** The parts of the Amazon States Language definition these tests read. */
interface Retrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
}
interface TaskState {
  readonly Type: string;
  readonly Resource: string;
  readonly Parameters: Record<string, unknown>;
  readonly OutputPath?: string;
  readonly Retry?: Retrier[];
  readonly Next?: string;
  readonly End?: boolean;
}
interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, Record<string, unknown>>;
}

/**
 * The definition as JSON: CloudFormation builds it with Fn::Join around references, which are
 * replaced by `<LogicalId>` (Fn::GetAtt, Ref) so the function a task invokes stays visible.
 */
function definitionOf(template: Template): Definition {
  const { DefinitionString: body } = onlyResource(template, 'AWS::StepFunctions::StateMachine') as {
    DefinitionString: { 'Fn::Join': [string, unknown[]] } | string;
  };
  if (typeof body === 'string') return JSON.parse(body) as Definition;
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const { Ref: ref, 'Fn::GetAtt': getAtt } = part as { Ref?: string; 'Fn::GetAtt'?: string[] };
      return `<${ref ?? getAtt?.[0]}>`;
    })
    .join('');
  return JSON.parse(text) as Definition;
}

/**
 * The longest a shard's child execution can take: every attempt that runs the function (the
 * first and each States.TaskFailed retry) to its timeout, plus every wait of every retrier
 * (ASL defaults: 1 s, 3 attempts, rate 2; full jitter waits at most the interval).
 */
function worstCaseSeconds(retry: readonly Retrier[], timeoutSeconds: number): number {
  const waits = retry.reduce((sum, r) => {
    const attempts = r.MaxAttempts ?? 3;
    for (let k = 0; k < attempts; k++) sum += (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** k;
    return sum;
  }, 0);
  const reruns = retry.find((r) => r.ErrorEquals.includes('States.TaskFailed'))?.MaxAttempts ?? 0;
  return (1 + reruns) * timeoutSeconds + waits;
}

describe('the distributed-sweep state machine', () => {
  let template: Template;
  let definition: Definition;
  let sweepId: string;
  let runsId: string;
  beforeAll(() => {
    template = synthTemplate();
    definition = definitionOf(template);
    sweepId = lambdaFunction(template, 'Function').id;
    runsId = lambdaFunction(template, 'Runs').id;
  });
  const state = (name: string) => {
    const found = definition.States[name];
    if (found === undefined) throw new Error(`no state ${name}`);
    return found;
  };

  it('is a named Standard state machine, logging every event without execution data, traced', () => {
    const machine = onlyResource(template, 'AWS::StepFunctions::StateMachine');
    expect(machine).toMatchObject({
      StateMachineName: 'StatusSweep-DistributedSweeps',
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
    const logGroup = (
      machine as {
        LoggingConfiguration: {
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string] } } }];
        };
      }
    ).LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    // Under /aws/vendedlogs/states/, as AWS advises for vended logs.
    expect(template.findResources('AWS::Logs::LogGroup')[logGroup]?.Properties).toEqual({
      LogGroupName: '/aws/vendedlogs/states/StatusSweep-DistributedSweeps',
      RetentionInDays: 30,
    });
  });

  it('plans the shard starts with States.ArrayRange over the range, by the shard size', () => {
    expect(definition.StartAt).toBe('Plan');
    expect(state('Plan')).toEqual({
      Type: 'Pass',
      Parameters: {
        'shardStarts.$': 'States.ArrayRange($.range.start, $.range.end, $.shardSize)',
      },
      ResultPath: '$.plan',
      Next: 'Shards',
    });
  });

  it('runs the shards in a Distributed Map of Express children, 10 at a time, failing beyond 10 % failed shards', () => {
    expect(state('Shards')).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.plan.shardStarts',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } },
      MaxConcurrency: 10,
      ToleratedFailurePercentage: TOLERATED_FAILURE_PERCENTAGE,
      ResultPath: '$.mapResult',
      Next: 'Reduce',
    });
  });

  it('hands each shard its start, size, the range end, the sweep id and the options, never optional fields', () => {
    expect(state('Shards').ItemSelector).toEqual({
      kind: 'shard',
      'sweepId.$': '$.run.sweepId',
      'shardStart.$': '$$.Map.Item.Value',
      'shardSize.$': '$.shardSize',
      'rangeEnd.$': '$.range.end',
      'options.$': '$.shardOptions',
    });
  });

  it('writes the shard results to the results bucket under map-results/', () => {
    const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    expect(state('Shards').ResultWriter).toEqual({
      Resource: 'arn:<AWS::Partition>:states:::s3:putObject',
      Parameters: { Bucket: `<${bucket}>`, Prefix: 'map-results/' },
    });
  });

  const shardTask = (machine: Definition): TaskState | undefined => {
    const { ItemProcessor: processor } = machine.States.Shards as {
      ItemProcessor: { StartAt: string; States: Record<string, TaskState> };
    };
    return processor.States[processor.StartAt];
  };

  it('sweeps each shard with the sweep function, returning its payload only, retried with backoff', () => {
    const shard = shardTask(definition);
    expect(shard).toMatchObject({
      Type: 'Task',
      Resource: 'arn:<AWS::Partition>:states:::lambda:invoke',
      Parameters: { FunctionName: `<${sweepId}>`, 'Payload.$': '$' },
      OutputPath: '$.Payload',
      End: true,
    });
    const retry = shard?.Retry ?? [];
    const retrierFor = (error: string) => retry.find((r) => r.ErrorEquals.includes(error));
    // Lambda refused or never ran the shard; then the function ran and failed.
    for (const error of ['Lambda.ServiceException', 'Lambda.TooManyRequestsException']) {
      expect(retrierFor(error)).toMatchObject({
        IntervalSeconds: expect.any(Number),
        BackoffRate: 2,
        MaxAttempts: expect.any(Number),
      });
    }
    // With the default 120 s timeout, one retry is all five minutes allow.
    expect(retrierFor('States.TaskFailed')).toMatchObject({ IntervalSeconds: 2, MaxAttempts: 1 });
    // Step Functions matches retriers in order: the specific Lambda errors come before TaskFailed.
    expect(retry.at(-1)?.ErrorEquals).toEqual(['States.TaskFailed']);
  });

  it('never retries refused events, bad configuration or timeouts, whose names come from lambda/', () => {
    const retry = shardTask(definition)?.Retry ?? [];
    const permanent = [
      ...NEVER_RETRIED_ERRORS,
      'Sandbox.Timedout',
      'Lambda.Unknown',
      'States.Timeout',
      'Lambda.ClientExecutionTimeoutException',
    ];
    expect(NEVER_RETRIED_ERRORS).toEqual(['InvalidEventError', 'ConfigError']);
    for (const error of permanent) {
      expect(retry.find((r) => r.ErrorEquals.includes(error))).toMatchObject({ MaxAttempts: 0 });
    }
    // A caller's bad input is refused before any run starts: no shard ever throws it.
    expect(retry.flatMap((r) => r.ErrorEquals)).not.toContain('InvalidRequestError');
    expect(state('Shards').ItemSelector).toMatchObject({ kind: SHARD_KIND });
    expect((state('Reduce') as unknown as TaskState).Parameters.Payload).toMatchObject({
      kind: REDUCE_KIND,
    });
  });

  it.each([
    [undefined, 120],
    [60_000, 60],
    [250_000, 250],
  ])(
    'keeps every attempt of a shard and every retry wait inside the Express limit (timeout %s)',
    (timeoutMs, seconds) => {
      const custom =
        timeoutMs === undefined ? template : synthTemplate({ function: { timeoutMs } });
      const fn = lambdaFunction(custom, 'Function').properties as { Timeout: number };
      expect(fn.Timeout).toBe(seconds);

      const worst = worstCaseSeconds(shardTask(definitionOf(custom))?.Retry ?? [], fn.Timeout);

      expect(worst).toBeLessThanOrEqual(EXPRESS_MAX_DURATION_MS / 1000);
    },
  );

  it('reduces with the runs function, passing the whole run record, the start time and the ResultWriter details', () => {
    const reduce = state('Reduce') as unknown as TaskState;
    expect(reduce).toMatchObject({
      Type: 'Task',
      Resource: 'arn:<AWS::Partition>:states:::lambda:invoke',
      Parameters: {
        FunctionName: `<${runsId}>`,
        Payload: {
          kind: 'reduce',
          'run.$': '$.run',
          'startedAt.$': '$$.Execution.StartTime',
          'results.$': '$.mapResult.ResultWriterDetails',
        },
      },
      OutputPath: '$.Payload',
      End: true,
    });
    expect(reduce.Retry?.flatMap((r) => r.ErrorEquals)).toEqual(
      expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
    );
  });

  it('merges again after the reduce crashed, twice at most, but never a refused event', () => {
    const retry = (state('Reduce') as unknown as TaskState).Retry ?? [];
    const first = (error: string) => retry.find((r) => r.ErrorEquals.includes(error));

    expect(first('InvalidEventError')).toMatchObject({ MaxAttempts: 0 });
    expect(first('ConfigError')).toMatchObject({ MaxAttempts: 0 });
    expect(retry.at(-1)).toMatchObject({ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 });
  });

  it('takes the Map concurrency and the name from props', () => {
    const custom = synthTemplate({
      distributed: { shardMaxConcurrency: 3, stateMachineName: 'nightly-sweeps' },
    });
    expect(definitionOf(custom).States.Shards).toMatchObject({ MaxConcurrency: 3 });
    expect(onlyResource(custom, 'AWS::StepFunctions::StateMachine')).toMatchObject({
      StateMachineName: 'nightly-sweeps',
    });
    expect(lambdaFunction(custom, 'Function').properties).toMatchObject({
      Environment: { Variables: { SHARD_MAX_CONCURRENCY: '3' } },
    });
  });

  it('refuses a sweep function timeout no Express child execution could wait for', () => {
    expect(() => synthTemplate({ function: { timeoutMs: 290_000 } })).toThrow(
      /timeout \(290 s\) plus Lambda's retry waits \(21 s\) must fit the 300 s an Express child execution may run/,
    );
  });

  it('takes the tolerated failure percentage from props', () => {
    const custom = synthTemplate({ distributed: { toleratedFailurePercentage: 25 } });
    expect(definitionOf(custom).States.Shards).toMatchObject({ ToleratedFailurePercentage: 25 });
  });

  it('exposes the state machine ARN and the results bucket name as stack outputs', () => {
    template.hasOutput('StateMachineArn', {
      Value: { Ref: Match.stringLikeRegexp('^DistributedStateMachine') },
    });
    template.hasOutput('ResultsBucketName', {
      Value: { Ref: Match.stringLikeRegexp('^ResultsBucket') },
    });
  });

  describe('its role', () => {
    let statements: ReturnType<typeof roleStatements>;
    beforeAll(() => {
      const machine = onlyResource(template, 'AWS::StepFunctions::StateMachine') as {
        RoleArn: { 'Fn::GetAtt': [string, string] };
      };
      statements = roleStatements(template, machine.RoleArn['Fn::GetAtt'][0]);
    });
    const withPrefix = (prefix: string) =>
      statements.filter((s) => [s.Action].flat().some((a) => a.startsWith(prefix)));

    it('may invoke the sweep function and the runs function, and no other', () => {
      const invoked = withPrefix('lambda:').flatMap((s) => [s.Resource].flat());
      const functionOf = (resource: unknown) =>
        JSON.stringify(resource).match(/"Fn::GetAtt":\["(\w+)","Arn"\]/)?.[1];
      expect(withPrefix('lambda:').flatMap((s) => [s.Action].flat())).toEqual([
        'lambda:InvokeFunction',
        'lambda:InvokeFunction',
      ]);
      expect(new Set(invoked.map(functionOf))).toEqual(new Set([sweepId, runsId]));
    });

    it('may write and read map results in its results bucket only', () => {
      const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
      expect(withPrefix('s3:')).toEqual([
        {
          Effect: 'Allow',
          Action: [
            's3:PutObject',
            's3:GetObject',
            's3:ListMultipartUploadParts',
            's3:AbortMultipartUpload',
          ],
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: bucket }, '/*']],
          },
        },
      ]);
    });

    it('may start, describe, stop and redrive only its own executions (the Map children)', () => {
      const states = withPrefix('states:');
      expect(states.flatMap((s) => [s.Action].flat()).sort()).toEqual([
        'states:DescribeExecution',
        'states:RedriveExecution',
        'states:StartExecution',
        'states:StopExecution',
      ]);
      for (const { Resource: resource } of states) {
        expect(JSON.stringify(resource)).toMatch(/"Ref":"DistributedStateMachine\w+"/);
      }
    });
  });
});

describe('the runs function', () => {
  let template: Template;
  let runs: { readonly id: string; readonly properties: Record<string, unknown> };
  beforeAll(() => {
    template = synthTemplate({ function: { metricsNamespace: 'Sweeps/Test' } });
    runs = lambdaFunction(template, 'Runs');
  });

  it('gets neither the request shape nor a grant to read its secret: it never fetches the target', () => {
    const shaped = synthTemplate({
      function: { targetMethod: 'HEAD', targetHeadersSecret: 'sweep/headers' },
    });
    const runsOf = lambdaFunction(shaped, 'Runs');
    const env = (runsOf.properties.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(Object.keys(env).filter((name) => name.startsWith('TARGET_'))).toEqual([
      'TARGET_URL_TEMPLATE',
      'TARGET_NAME',
    ]);
    expect(JSON.stringify(shaped.findResources('AWS::IAM::Policy'))).toMatch(/secretsmanager/);
    const role = (runsOf.properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect(JSON.stringify(roleStatements(shaped, role))).not.toMatch(/secretsmanager/);
  });

  it('runs like the sweep function (Node 24, arm64, JSON logs to its own group, traced), 1024 MB and 60 s', () => {
    const sweep = lambdaFunction(template, 'Function').properties;
    for (const key of ['Runtime', 'Architectures', 'Handler', 'TracingConfig']) {
      expect(runs.properties[key]).toEqual(sweep[key]);
    }
    expect(runs.properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 60,
      LoggingConfig: {
        LogFormat: 'JSON',
        LogGroup: { Ref: expect.stringMatching(/^RunsLogGroup/) },
      },
    });
  });

  it("gets the sweep function's configuration plus the state machine ARN and the results bucket", () => {
    const sweepVariables = (
      lambdaFunction(template, 'Function').properties as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment.Variables;
    const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    // It never fetches the target: no request shape (TARGET_METHOD, the headers secret).
    const { TARGET_METHOD, ...sharedVariables } = sweepVariables;
    expect(TARGET_METHOD).toBe('GET');
    const runsVariables = (runs.properties as { Environment: { Variables: object } }).Environment
      .Variables;
    expect(runsVariables).not.toHaveProperty('TARGET_METHOD');
    expect(runs.properties).toMatchObject({
      Environment: {
        Variables: {
          ...sharedVariables,
          METRICS_NAMESPACE: 'Sweeps/Test',
          STATE_MACHINE_ARN: formattedStateMachineArn('StatusSweep-DistributedSweeps'),
          RESULTS_BUCKET: { Ref: bucket },
        },
      },
    });
  });

  describe('its role', () => {
    let statements: ReturnType<typeof roleStatements>;
    beforeAll(() => {
      const role = (runs.properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role;
      statements = roleStatements(template, role['Fn::GetAtt'][0]);
    });
    const withPrefix = (prefix: string) =>
      statements.filter((s) => [s.Action].flat().some((a) => a.startsWith(prefix)));

    it('may describe executions and list and describe Map Runs of its state machine only', () => {
      expect(withPrefix('states:')).toEqual([
        {
          Effect: 'Allow',
          Action: ['states:DescribeExecution', 'states:ListMapRuns'],
          Resource: formattedStatesArn(':execution:StatusSweep-DistributedSweeps:*'),
        },
        {
          Effect: 'Allow',
          Action: 'states:DescribeMapRun',
          Resource: formattedStatesArn(':mapRun:StatusSweep-DistributedSweeps/*'),
        },
      ]);
    });

    it('may read the results bucket and write under results/ and baselines/ only', () => {
      const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0] ?? '';
      const arn = { 'Fn::GetAtt': [bucket, 'Arn'] };
      const s3 = withPrefix('s3:');
      const writes = s3.filter((s) => [s.Action].flat().includes('s3:PutObject'));
      const reads = s3.filter((s) => !writes.includes(s));
      expect(writes).toEqual([
        expect.objectContaining({ Resource: { 'Fn::Join': ['', [arn, '/results/*']] } }),
        expect.objectContaining({ Resource: { 'Fn::Join': ['', [arn, '/baselines/*']] } }),
      ]);
      expect(reads.flatMap((s) => [s.Action].flat()).every((a) => /^s3:(Get|List)/.test(a))).toBe(
        true,
      );
      expect(
        new Set(reads.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r))),
      ).toEqual(new Set([arn, { 'Fn::Join': ['', [arn, '/*']] }].map((r) => JSON.stringify(r))));
    });

    it('may publish metrics only to the namespace of the sweep function', () => {
      expect(withPrefix('cloudwatch:')).toEqual([
        {
          Effect: 'Allow',
          Action: 'cloudwatch:PutMetricData',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': 'Sweeps/Test' } },
        },
      ]);
    });

    it('puts its run’s Sweep Finished event on the default bus only', () => {
      const events = statements.filter((s) => [s.Action].flat().includes('events:PutEvents'));
      expect(events).toHaveLength(1);
      expect(JSON.stringify(events[0]?.Resource)).toMatch(/:event-bus\/default"/);
    });

    it('holds nothing else but its logs and X-Ray', () => {
      const others = statements.filter(
        (s) => ![s.Action].flat().some((a) => /^(states|s3|cloudwatch|events):/.test(a)),
      );
      expect(others.flatMap((s) => [s.Action].flat()).sort()).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });
  });
});

describe('the results bucket', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({ distributed: { resultsRetentionDays: 7 } });
  });

  it('is private, encrypted with S3-managed keys and expires results after the retention', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'ExpireResults', Prefix: 'results/', ExpirationInDays: 7, Status: 'Enabled' },
          {
            Id: 'ExpireMapResults',
            Prefix: 'map-results/',
            ExpirationInDays: 7,
            Status: 'Enabled',
          },
          {
            Id: 'AbortIncompleteUploads',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          },
        ],
      },
    });
  });

  it("keeps schedules' baselines: no rule expires baselines/", () => {
    const { Rules: rules } = (
      onlyResource(template, 'AWS::S3::Bucket') as {
        LifecycleConfiguration: {
          Rules: Array<{ Prefix?: string; ExpirationInDays?: number }>;
        };
      }
    ).LifecycleConfiguration;
    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined);

    expect(expiring.length).toBeGreaterThan(0);
    for (const rule of expiring) {
      expect(rule.Prefix).toBeDefined();
      expect(`${BASELINES_PREFIX}nightly.json`.startsWith(rule.Prefix ?? '')).toBe(false);
    }
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is kept when the stack is deleted, its objects expiring on their own', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});
