import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv } from './procs.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A Lambda bundle as synthesized: its module and the environment the function gets. */
export interface Bundle {
  readonly module: string;
  readonly environment: Record<string, string>;
}
export type Bundles = Record<'deployed' | 'depsOnly' | 'empty', Bundle>;

/**
 * infra's SweepFunction bundles all three (bench/cold/synth.ts), as cdk synth does: what runs
 * here is byte for byte what a deploy uploads.
 */
export async function synthesize(outdir: string): Promise<Bundles> {
  const { stdout } = await promisify(execFile)(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    [join(import.meta.dirname, '..', 'cold', 'synth.ts'), outdir],
    { cwd: ROOT, env: childEnv({ CDK_DISABLE_CLI_TELEMETRY: 'true' }), maxBuffer: 16 * 1_048_576 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Bundles;
}

/** The deployed function's environment pointed at a loopback target, metrics off. */
export function deployedEnv(
  bundle: Bundle,
  target: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...bundle.environment,
    TARGET_URL_TEMPLATE: target,
    METRICS_MODE: 'off',
    ...extra,
  };
}
