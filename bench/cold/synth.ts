/**
 * Synthesizes three functions with infra's SweepFunction, so all three are bundled by the same
 * NodejsFunction options as the deployed one: the real handler (the default entry, as SweepStack
 * uses it), the dependencies alone, and an empty handler.
 * Usage: tsx bench/cold/synth.ts <outdir>   Prints one JSON line: name → asset module path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { SweepFunction } from '../../infra/constructs/sweep-function.js';

const outdir = process.argv[2] ?? '';
const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
const stack = new Stack(app, 'BenchColdStart');
const entries = {
  deployed: undefined,
  depsOnly: join(import.meta.dirname, 'deps-only.ts'),
  empty: join(import.meta.dirname, 'empty.ts'),
} as const;
for (const [name, entry] of Object.entries(entries)) {
  new SweepFunction(stack, name, entry === undefined ? {} : { entry });
}
const assembly = app.synth();
const artifact = assembly.getStackByName(stack.stackName);
const template = JSON.parse(readFileSync(artifact.templateFullPath, 'utf8')) as {
  Resources: Record<
    string,
    {
      Type: string;
      Properties: { Handler?: string; Environment?: { Variables: Record<string, string> } };
      Metadata?: Record<string, string>;
    }
  >;
};
const found: Record<string, { module: string; environment: Record<string, string> }> = {};
for (const [logicalId, resource] of Object.entries(template.Resources)) {
  if (resource.Type !== 'AWS::Lambda::Function') continue;
  // Logical ids start with the construct path: "<name>Handler<hash>".
  const name = Object.keys(entries).find((n) => logicalId.startsWith(`${n}Handler`));
  const asset = resource.Metadata?.['aws:asset:path'];
  const [file] = (resource.Properties.Handler ?? '').split('.');
  if (name && asset && file) {
    found[name] = {
      module: join(outdir, asset, `${file}.mjs`),
      environment: resource.Properties.Environment?.Variables ?? {},
    };
  }
}
process.stdout.write(`${JSON.stringify(found)}\n`);
