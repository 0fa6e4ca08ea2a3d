import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_ENVIRONMENT } from '../../infra/constructs/node-function.js';
import {
  formattedStateMachineArn,
  lambdaFunction,
  type PolicyStatement,
  roleStatements,
  synthTemplate,
} from './support/synth.js';

describe('the sweep function', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate();
  });

  it('runs Node 24 on arm64 with 1024 MB, 120 s, JSON logs and active tracing by default', () => {
    const fn = lambdaFunction(template, 'Function').properties;
    expect(fn).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 120,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
      TracingConfig: { Mode: 'Active' },
    });
    expect(fn).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it('links its events (and the runs function’s) to the stack’s own dashboard, the URL the stack outputs', () => {
    const env = (scope: 'Function' | 'Runs') =>
      (
        lambdaFunction(template, scope).properties as {
          Environment: { Variables: Record<string, unknown> };
        }
      ).Environment.Variables.DASHBOARD_URL;
    const output = Object.values(template.findOutputs('DashboardUrl'))[0]?.Value;
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));

    expect(env('Function')).toEqual(output);
    expect(env('Runs')).toEqual(output);
    // The name in the URL is the dashboard's own: the stack's name and its region.
    const name = { 'Fn::Join': ['', ['StatusSweep-', { Ref: 'AWS::Region' }]] };
    expect(dashboard?.Properties.DashboardName).toEqual(name);
    expect(JSON.stringify(output)).toContain('#dashboards:name=StatusSweep-');
  });

  it('starts every function of the stack with one malloc arena (PROCESS_ENVIRONMENT)', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Runtime === 'nodejs24.x',
    );
    // The sweep and runs functions (the id-map widget's has its own test).
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables).toMatchObject(PROCESS_ENVIRONMENT);
    }
    expect(PROCESS_ENVIRONMENT).toEqual({ MALLOC_ARENA_MAX: '1' });
  });

  it('keeps its logs 30 days in a log group of its own', () => {
    const fn = lambdaFunction(template, 'Function').properties as {
      LoggingConfig: { LogGroup: { Ref: string } };
    };
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    expect(logGroups[fn.LoggingConfig.LogGroup.Ref]?.Properties).toEqual({ RetentionInDays: 30 });
  });

  it('gets its whole configuration from the environment, with the defaults of lambda/ground/defaults.ts', () => {
    expect(lambdaFunction(template, 'Function').properties).toMatchObject({
      Environment: {
        Variables: {
          TARGET_URL_TEMPLATE: 'https://pokeapi.co/api/v2/pokemon/{id}/',
          TARGET_NAME: 'pokeapi.co',
          MAX_IDS: '10000',
          MAX_CONCURRENCY: '256',
          METRICS_NAMESPACE: 'StatusSweep',
          METRICS_MODE: 'cloudwatch',
          METRICS_STORAGE_RESOLUTION: '60',
          RESPONSE_MARGIN_MS: '3000',
          STATE_MACHINE_ARN: formattedStateMachineArn('StatusSweep-DistributedSweeps'),
          SHARD_SIZE: '10000',
          SHARD_MAX_CONCURRENCY: '10',
          MAX_DISTRIBUTED_IDS: '1000000',
          VERDICT_FAILED_BELOW_PERCENT: '95',
        },
      },
    });
    const variables = (
      lambdaFunction(template, 'Function').properties as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment.Variables;
    // No EXPECT: the function's default (2xx or 3xx); no latency bound.
    expect(Object.keys(variables)).not.toContain('EXPECT');
    expect(Object.keys(variables)).not.toContain('VERDICT_MAX_P95_MS');
    // No --enable-source-maps: ~20 % of a cold import and ~11 MB of RSS for stack traces that
    // never reach a log line.
    expect(Object.keys(variables)).not.toContain('NODE_OPTIONS');
  });

  it('passes the expectations and verdict thresholds to the environment', () => {
    const rules = [
      { ids: '1-1025', statuses: ['2xx'] },
      { ids: '1026-', statuses: [404] },
    ];

    const custom = synthTemplate({
      function: {
        expect: rules,
        verdictFailedBelowPercent: 99,
        verdictMaxP95Ms: 2_000,
      },
    });

    expect(lambdaFunction(custom, 'Function').properties).toMatchObject({
      Environment: {
        Variables: {
          EXPECT: JSON.stringify(rules),
          VERDICT_FAILED_BELOW_PERCENT: '99',
          VERDICT_MAX_P95_MS: '2000',
        },
      },
    });
  });

  it('refuses at synth expectations the function would refuse at cold start, naming the field', () => {
    expect(() =>
      synthTemplate({ function: { expect: [{ ids: '9-1', statuses: [200] }] } }),
    ).toThrow(/EXPECT\.0\.ids must be ascending ids in compact form/);
  });

  it('passes the distributed settings through: shard size, shard concurrency, largest range', () => {
    const custom = synthTemplate({
      function: { maxIds: 2_000 },
      distributed: { shardSize: 500, shardMaxConcurrency: 4, stateMachineName: 'sweeps' },
    });
    expect(lambdaFunction(custom, 'Function').properties).toMatchObject({
      Environment: {
        Variables: {
          MAX_IDS: '2000',
          SHARD_SIZE: '500',
          SHARD_MAX_CONCURRENCY: '4',
          // 1,000 shards of 500 ids: States.ArrayRange lists at most 1,000 shard starts.
          MAX_DISTRIBUTED_IDS: '500000',
          STATE_MACHINE_ARN: formattedStateMachineArn('sweeps'),
        },
      },
    });
  });

  it('passes stack props through to the environment, memory, timeout and reserved concurrency', () => {
    const custom = synthTemplate({
      function: {
        targetUrlTemplate: 'https://status.example.com/items/{id}',
        maxIds: 500,
        maxConcurrency: 64,
        metricsNamespace: 'Sweeps/Test',
        metricsStorageResolution: 1,
        responseMarginMs: 5_000,
        memorySize: 2048,
        timeoutMs: 60_000,
        reservedConcurrency: 4,
      },
    });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Timeout: 60,
      ReservedConcurrentExecutions: 4,
      Environment: {
        Variables: Match.objectLike({
          TARGET_URL_TEMPLATE: 'https://status.example.com/items/{id}',
          TARGET_NAME: 'status.example.com',
          MAX_IDS: '500',
          MAX_CONCURRENCY: '64',
          METRICS_NAMESPACE: 'Sweeps/Test',
          METRICS_STORAGE_RESOLUTION: '1',
          RESPONSE_MARGIN_MS: '5000',
        }),
      },
    });
  });

  it('refuses at synth a setting the function would refuse at cold start', () => {
    expect(() =>
      synthTemplate({ function: { targetUrlTemplate: 'https://status.example.com/items' } }),
    ).toThrow(/TARGET_URL_TEMPLATE must be a URL containing "\{id\}"/);
  });

  it('never retries an asynchronous invocation itself and sends failures to the dead-letter queue', () => {
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [queues[0], 'Arn'] } },
      },
    });
  });

  it('has a dead-letter queue that is encrypted and refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('the function role', () => {
  let statements: PolicyStatement[];
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({ function: { metricsNamespace: 'Sweeps/Test' } });
    const fn = lambdaFunction(template, 'Function').properties as {
      Role: { 'Fn::GetAtt': [string, string] };
    };
    statements = roleStatements(template, fn.Role['Fn::GetAtt'][0]);
  });

  it('may call PutMetricData only, and only for its own namespace', () => {
    const cloudwatch = statements.filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('cloudwatch:')),
    );
    expect(cloudwatch).toEqual([
      {
        Action: 'cloudwatch:PutMetricData',
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'Sweeps/Test' } },
      },
    ]);
  });

  it('may put events on the default bus only, and sends them there by default', () => {
    const events = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('events:')));
    expect(events).toEqual([
      {
        Action: 'events:PutEvents',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':events:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':event-bus/default',
            ],
          ],
        },
      },
    ]);
    expect(lambdaFunction(template, 'Function').properties).toMatchObject({
      Environment: { Variables: { EVENTS_MODE: 'eventbridge' } },
    });
  });

  it('may put no event at all with eventsMode off', () => {
    const off = synthTemplate({ function: { eventsMode: 'off' } });
    const fn = lambdaFunction(off, 'Function').properties as {
      Role: { 'Fn::GetAtt': [string, string] };
    };

    const actions = roleStatements(off, fn.Role['Fn::GetAtt'][0]).flatMap((s) => [s.Action].flat());

    expect(actions.filter((a) => a.startsWith('events:'))).toEqual([]);
  });

  it('may start, list and describe executions of the distributed-sweep state machine only, by its formatted ARN', () => {
    const states = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('states:')));
    expect(states).toEqual([
      {
        Action: ['states:StartExecution', 'states:ListExecutions'],
        Effect: 'Allow',
        Resource: formattedStateMachineArn('StatusSweep-DistributedSweeps'),
      },
      {
        Action: 'states:DescribeExecution',
        Effect: 'Allow',
        Resource: expect.anything(),
      },
    ]);
    expect(JSON.stringify(states[1]?.Resource)).toContain(
      ':execution:StatusSweep-DistributedSweeps:*',
    );
  });

  it('may get and put objects under baselines/ of the results bucket by key, and list nothing', () => {
    const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0] ?? '';
    const baselines = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/baselines/*']] };

    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));

    expect(s3).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: baselines },
    ]);
  });

  it('is told the schedule names compareWith may take, their ranges, and the results bucket', () => {
    const withSchedules = synthTemplate({
      schedules: [
        { name: 'kanto', expression: 'rate(1 hour)', start: 1, end: 151 },
        { name: 'johto', expression: 'rate(1 day)', start: 152, end: 251 },
      ],
    });

    const env = lambdaFunction(withSchedules, 'Function').properties.Environment as {
      Variables: Record<string, unknown>;
    };

    expect(env.Variables).toMatchObject({
      SCHEDULE_NAMES: 'kanto,johto',
      SCHEDULE_RANGES: 'kanto=1-151,johto=152-251',
      RESULTS_BUCKET: { Ref: expect.stringMatching(/^ResultsBucket/) },
    });
  });

  it('otherwise holds only logging to its log group, X-Ray and the dead-letter queue', () => {
    const actions = statements
      .flatMap((s) => [s.Action].flat())
      .filter((a) => !a.startsWith('s3:'))
      .sort();
    expect(actions).toEqual(
      [
        'cloudwatch:PutMetricData',
        'events:PutEvents',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'states:DescribeExecution',
        'states:ListExecutions',
        'states:StartExecution',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
    });
  });
});

describe('the request shape fixed at deploy time', () => {
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sweep/headers-AbCdEf';
  /** The sweep function's environment and its role's statements. */
  const deployed = (props: Parameters<typeof synthTemplate>[0]) => {
    const template = synthTemplate(props);
    const fn = lambdaFunction(template, 'Function').properties as {
      Role: { 'Fn::GetAtt': [string, string] };
      Environment: { Variables: Record<string, unknown> };
    };
    return {
      env: fn.Environment.Variables,
      statements: roleStatements(template, fn.Role['Fn::GetAtt'][0]),
    };
  };
  const secretsStatements = (statements: PolicyStatement[]) =>
    statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));

  it('sends GET with no headers secret, and grants no secret, by default', () => {
    const { env, statements } = deployed({});

    expect(env.TARGET_METHOD).toBe('GET');
    expect(env).not.toHaveProperty('TARGET_HEADERS_SECRET');
    expect(secretsStatements(statements)).toEqual([]);
  });

  it('reads the headers secret named by a complete ARN, and that secret only', () => {
    const { env, statements } = deployed({
      function: {
        targetHeadersSecret: ARN,
        targetMethod: 'HEAD',
        targetHeadersMaxAgeMs: 60_000,
      },
    });

    expect(env).toMatchObject({
      TARGET_METHOD: 'HEAD',
      TARGET_HEADERS_SECRET: ARN,
      TARGET_HEADERS_MAX_AGE_MS: '60000',
    });
    expect(secretsStatements(statements)).toEqual([
      {
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Effect: 'Allow',
        Resource: ARN,
      },
    ]);
  });

  it('reads a secret given by name through the ARN of that name and any version suffix', () => {
    const { env, statements } = deployed({ function: { targetHeadersSecret: 'sweep/headers' } });

    expect(env.TARGET_HEADERS_SECRET).toBe('sweep/headers');
    const [statement, ...others] = secretsStatements(statements);
    expect(others).toEqual([]);
    expect(JSON.stringify(statement?.Resource)).toMatch(/:secret:sweep\/headers-\?\?\?\?\?\?"/);
  });
});
