import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SweepStack, type SweepStackProps } from '../../../infra/sweep-stack.js';

/**
 * The template of a SweepStack, without CloudFormation's built-in validation (~2.5 s a synth) and
 * without bundling the two functions (~1 s a synth; the assets are placeholders): synth.test.ts
 * keeps both on, and artifact.test.ts runs the bundles `cdk synth` writes.
 */
export function synthTemplate(props: SweepStackProps = {}): Template {
  const app = templateApp();
  const stack = new SweepStack(app, 'StatusSweep', props);
  return Template.fromStack(stack);
}

/** An app for template assertions: no built-in validation, no bundling (see synthTemplate). */
export function templateApp(): App {
  return new App({
    builtinCloudFormationValidation: false,
    // No stack is bundled: the template is the same but for the asset hashes.
    context: { 'aws:cdk:bundling-stacks': [] },
  });
}

/** The one resource of `type` (fails when there is not exactly one), as its Properties. */
export function onlyResource(template: Template, type: string): Record<string, unknown> {
  const found = Object.values(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return (found[0] as { Properties: Record<string, unknown> }).Properties;
}

/**
 * The Lambda function created under the stack-level construct `scope` (`Function`, the sweep
 * function; `Runs`, the runs function), with its logical id.
 */
export function lambdaFunction(
  template: Template,
  scope: 'Function' | 'Runs',
): { readonly id: string; readonly properties: Record<string, unknown> } {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) =>
    id.startsWith(`${scope}Handler`),
  );
  const [first, ...rest] = found;
  if (first === undefined || rest.length > 0) {
    throw new Error(`expected one ${scope} function, found ${found.length}`);
  }
  return {
    id: first[0],
    properties: (first[1] as { Properties: Record<string, unknown> }).Properties,
  };
}

/** The statements of every IAM policy attached to the role `roleId`. */
export function roleStatements(template: Template, roleId: string): PolicyStatement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{
    Properties: {
      PolicyDocument: { Statement: PolicyStatement[] };
      Roles: Array<{ Ref: string }>;
    };
  }>;
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/**
 * The dashboard body as JSON: CloudFormation builds it with Fn::Join around references, which
 * are replaced here by a `<ref>` placeholder.
 */
export function dashboardBody(template: Template): DashboardBody {
  const { DashboardBody: body } = onlyResource(template, 'AWS::CloudWatch::Dashboard') as {
    DashboardBody: { 'Fn::Join': [string, unknown[]] } | string;
  };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  return JSON.parse(text) as DashboardBody;
}

export interface DashboardWidget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: ReadonlyArray<ReadonlyArray<unknown>>;
  };
}
export interface DashboardBody {
  readonly widgets: readonly DashboardWidget[];
}

/** `arn:<partition>:states:<region>:<account><resource>`, formatted with Fn::Join, not a reference. */
export function formattedStatesArn(resource: string): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':states:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        resource,
      ],
    ],
  };
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`, formatted, not a reference. */
export function formattedStateMachineArn(name: string): unknown {
  return formattedStatesArn(`:stateMachine:${name}`);
}
