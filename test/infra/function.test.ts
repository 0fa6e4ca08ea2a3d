import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyResource, synthTemplate } from './support/synth.js';

describe('the sweep function', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate();
  });

  it('runs Node 24 on arm64 with 1024 MB, 120 s, JSON logs and active tracing by default', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 120,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: Match.anyValue() },
      TracingConfig: { Mode: 'Active' },
    });
    expect(onlyResource(template, 'AWS::Lambda::Function')).not.toHaveProperty(
      'ReservedConcurrentExecutions',
    );
  });

  it('keeps its logs 30 days in a log group of its own', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const fn = onlyResource(template, 'AWS::Lambda::Function') as {
      LoggingConfig: { LogGroup: { Ref: string } };
    };
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    expect(logGroups[fn.LoggingConfig.LogGroup.Ref]?.Properties).toEqual({ RetentionInDays: 30 });
  });

  it('gets its whole configuration from the environment, with the defaults of lambda/config.ts', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
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
          NODE_OPTIONS: '--enable-source-maps',
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
        responseMargin: Duration.seconds(5),
        memorySize: 2048,
        timeout: Duration.seconds(60),
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
  type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
  let statements: Statement[];
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({ function: { metricsNamespace: 'Sweeps/Test' } });
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{
      Properties: { PolicyDocument: { Statement: Statement[] }; Roles: Array<{ Ref: string }> };
    }>;
    const fn = onlyResource(template, 'AWS::Lambda::Function') as {
      Role: { 'Fn::GetAtt': [string, string] };
    };
    const roleId = fn.Role['Fn::GetAtt'][0];
    statements = policies
      .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
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

  it('otherwise holds only logging to its log group, X-Ray and the dead-letter queue', () => {
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'cloudwatch:PutMetricData',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
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
