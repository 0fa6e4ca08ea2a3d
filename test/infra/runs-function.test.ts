import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formattedStateMachineArn,
  formattedStatesArn,
  lambdaFunction,
  roleStatements,
  synthTemplate,
} from './support/synth.js';

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
