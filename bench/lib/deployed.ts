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

/** Stand-ins for the Lambda's role credentials: the loopback CloudWatch accepts any signature. */
const LOOPBACK_AWS_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHLOOPBACK',
  AWS_SECRET_ACCESS_KEY: 'bench-loopback-only',
} as const;

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

/** The AWS a deployed bundle reaches, all on loopback: stand-in credentials, region, endpoints. */
export function loopbackAws(endpoints: {
  readonly cloudwatchUrl: string;
  readonly eventbridgeUrl: string;
}): Record<string, string> {
  return {
    ...LOOPBACK_AWS_ENV,
    AWS_ENDPOINT_URL_CLOUDWATCH: endpoints.cloudwatchUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridgeUrl,
  };
}

/**
 * The deployed function's environment pointed at a loopback target, metrics and the Sweep
 * Finished event off: what these processes time is the sweep, and nothing leaves loopback.
 */
export function deployedEnv(
  bundle: Bundle,
  target: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...bundle.environment,
    TARGET_URL_TEMPLATE: target,
    METRICS_MODE: 'off',
    EVENTS_MODE: 'off',
    ...extra,
  };
}
