import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { SweepScheduleSpec } from '../../infra/constructs/sweep-schedules.js';
import { SweepStack } from '../../infra/sweep-stack.js';

/** Every optional resource on: schedules (missed-sweep alarm), email, reserved concurrency, headers secret. */
const everything = {
  schedules: [
    { name: 'kanto', expression: 'rate(1 hour)', start: 1, end: 151 },
    {
      name: 'johto',
      expression: 'cron(0 6 * * ? *)',
      timeZone: 'Asia/Tokyo',
      start: 152,
      end: 251,
    },
  ] satisfies SweepScheduleSpec[],
  alarms: { alarmEmail: 'oncall@example.com' },
  function: { reservedConcurrency: 10, targetHeadersSecret: 'status-sweep/target-headers' },
};

interface ValidationReport {
  readonly pluginReports: ReadonlyArray<{
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: readonly unknown[];
  }>;
}
const VALIDATION_AS_ERRORS = '@aws-cdk/core:validateAgainstDefaultRules';
interface CdkJson {
  readonly context: Record<string, unknown>;
}
interface Suppression {
  readonly id: string;
  readonly reason: string;
}
const report = (assembly: CloudAssembly): ValidationReport =>
  JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));

/** `text` as a RegExp source that matches it literally. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A suppression id `AwsSolutions-IAM5[Resource::<resource>]`, with `<resource>` a RegExp source. */
const iam5Resource = (resource: string) =>
  expect.stringMatching(new RegExp(`^AwsSolutions-IAM5\\[Resource::${resource}\\]$`));

describe('synthesis', () => {
  it('passes cdk-nag AwsSolutions with every finding acknowledged', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    new SweepStack(app, 'StatusSweep', everything);
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    );

    const assembly = app.synth(); // throws on any unacknowledged finding

    expect(report(assembly).pluginReports).toEqual([]);
    const template = assembly.getStackByName('StatusSweep').template as {
      Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: Suppression[] } } }>;
    };
    const suppressions = Object.values(template.Resources).flatMap(
      (r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [],
    );
    // Written on every resource under the acknowledging construct: compare the distinct ids.
    const states = literal('arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>');
    // CDK's DistributedMapPolicy names the state machine by splitting its ARN.
    const ownName =
      literal('{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"') +
      'DistributedStateMachine\\w+' +
      literal('"}]}]}');
    const expected = [
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Resource::*]',
      iam5Resource('<FunctionHandler\\w+\\.Arn>:\\*'),
      iam5Resource('<RunsHandler\\w+\\.Arn>:\\*'),
      iam5Resource('<ResultsBucket\\w+\\.Arn>/\\*'),
      iam5Resource('<ResultsBucket\\w+\\.Arn>/results/\\*'),
      iam5Resource('<ResultsBucket\\w+\\.Arn>/baselines/\\*'),
      iam5Resource(`${literal('arn:<AWS::Partition>:s3:::<')}ResultsBucket\\w+>/\\*`),
      iam5Resource(`${states}:execution:${ownName}:\\*`),
      iam5Resource(`${states}:execution:${ownName}/\\*:\\*`),
      iam5Resource(`${states}:execution:StatusSweep-DistributedSweeps:\\*`),
      iam5Resource(`${states}:mapRun:StatusSweep-DistributedSweeps/\\*`),
      'AwsSolutions-S1',
      'AwsSolutions-SNS2',
      'AwsSolutions-SQS3',
    ];
    const ids = [...new Set(suppressions.map((s) => s.id))];
    expect(ids).toHaveLength(expected.length);
    expect(ids).toEqual(expect.arrayContaining(expected));
    for (const { reason } of suppressions) expect(reason).toMatch(/^[^\n]{20,200}$/);
  });

  it('passes CloudFormation template validation built into aws-cdk-lib, as errors', () => {
    // cdk.json turns validation findings from warnings into errors; so does this app.
    const { context } = JSON.parse(readFileSync('cdk.json', 'utf8')) as CdkJson;
    expect(context).toMatchObject({ [VALIDATION_AS_ERRORS]: true });
    const app = new App({ context: { [VALIDATION_AS_ERRORS]: true } });
    new SweepStack(app, 'StatusSweep', everything);

    const assembly = app.synth();

    expect(assembly.getStackByName('StatusSweep').template).toHaveProperty('Resources');
    for (const plugin of report(assembly).pluginReports) {
      expect(plugin).toMatchObject({ conclusion: 'success', violations: [] });
    }
  });
});
