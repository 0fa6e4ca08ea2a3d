import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { SweepStack, type SweepStackProps } from '../../../infra/sweep-stack.js';
import { deployedEnvironment, PSEUDO, resolveValue } from './deployed-env.js';
import type { Definition } from './distributed-map.js';

/** A synthesized function: its bundle, environment and timeout as deployed. */
export interface SynthesizedFunction {
  readonly logicalId: string;
  readonly arn: string;
  readonly modulePath: string;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
}

export interface SynthesizedStack {
  /** The state machine's definition, its references resolved as deployed. */
  readonly definition: Definition;
  readonly sweep: SynthesizedFunction;
  readonly runs: SynthesizedFunction;
  /** Removes the cloud assembly. */
  readonly outdir: string;
}

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, string>;
};

/**
 * The stack synthesized in this process with its functions bundled by esbuild, as `cdk synth`
 * bundles them (about 1.5 s), without CloudFormation's built-in validation.
 */
export function synthesizeBundled(props: SweepStackProps = {}): SynthesizedStack {
  const outdir = mkdtempSync(join(tmpdir(), 'sweep-assembly-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    // As the CLI sets it: each function names its asset folder.
    context: { 'aws:cdk:enable-asset-metadata': true },
  });
  const stack = new SweepStack(app, 'StatusSweep', props);
  const assembly = app.synth();
  const template = JSON.parse(
    readFileSync(assembly.getStackArtifact(stack.artifactId).templateFullPath, 'utf8'),
  ) as { Resources: Record<string, Resource> };
  const entries = Object.entries(template.Resources);
  const functionArn = (logicalId: string) =>
    `arn:${PSEUDO['AWS::Partition']}:lambda:${PSEUDO['AWS::Region']}:${PSEUDO['AWS::AccountId']}:function:${logicalId}`;
  const lambda = (scope: string): SynthesizedFunction => {
    const found = entries.find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`${scope}Handler`),
    );
    if (found === undefined) throw new Error(`no ${scope} function`);
    const [logicalId, resource] = found;
    const [file] = (resource.Properties.Handler as string).split('.');
    return {
      logicalId,
      arn: functionArn(logicalId),
      modulePath: join(outdir, resource.Metadata?.['aws:asset:path'] ?? '', `${file}.mjs`),
      environment: deployedEnvironment(
        (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      ),
      timeoutSeconds: resource.Properties.Timeout as number,
    };
  };
  const machine = entries.find(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')?.[1];
  if (machine === undefined) throw new Error('no state machine');
  const text = resolveValue(machine.Properties.DefinitionString, functionArn);
  return {
    definition: JSON.parse(text) as Definition,
    sweep: lambda('Function'),
    runs: lambda('Runs'),
    outdir,
  };
}
