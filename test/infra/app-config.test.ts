import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from '../support/cli.js';

interface Resource {
  readonly Type: string;
  readonly Properties: { Environment?: { Variables?: Record<string, unknown> } };
}

/** The CDK app as `cdk synth` runs it (context in CDK_CONTEXT_JSON), offline, without bundling. */
function synthApp(context: Record<string, unknown>) {
  const out = mkdtempSync(join(tmpdir(), 'sweep-app-'));
  const run = runNode(['--import', 'tsx', 'infra/app.ts'], {
    env: {
      CDK_OUTDIR: out,
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
    },
    timeoutMs: 120_000,
  });
  return { out, run };
}

describe('cdk synth on the config file', () => {
  it('fails in one line, exit 2, naming a misspelt context key and the nearest valid one', async () => {
    const { run } = synthApp({ alarmEmial: 'oncall@example.com' });
    const { code, stderr } = await run;

    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'status-sweep: unknown CDK context key "alarmEmial" (did you mean "alarmEmail"?); settings belong in status-sweep.config.json',
    );
  }, 120_000);

  it('synthesizes the targets of -c config=path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-app-config-'));
    const file = join(dir, 'status-sweep.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        targets: [
          { name: 'prod', urlTemplate: 'https://api.example.com/{id}' },
          { name: 'v2', urlTemplate: 'https://v2.example.com/{id}' },
        ],
      }),
    );
    const { out, run } = synthApp({ config: file });
    const { code } = await run;

    expect(code).toBe(0);
    const template = readFileSync(
      join(out, readdirSync(out).find((f) => f.endsWith('.template.json')) ?? ''),
      'utf8',
    );
    const functions = Object.values(JSON.parse(template).Resources as Record<string, Resource>)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.Environment?.Variables ?? {});
    expect(functions).toContainEqual(
      expect.objectContaining({
        TARGET_NAME: 'prod',
        ADDITIONAL_TARGETS: JSON.stringify([
          { name: 'v2', urlTemplate: 'https://v2.example.com/{id}' },
        ]),
      }),
    );
  }, 120_000);
});
