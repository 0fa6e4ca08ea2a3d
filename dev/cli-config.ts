import { ConfigFileError, readConfigFile } from '../infra/config/read.js';
import type { StatusSweepConfig } from '../infra/config/schema.js';
import { stackPropsFromConfig } from '../infra/config/stack-props.js';
import { sweepEnvironment } from '../infra/constructs/sweep-environment.js';
import { closest } from '../lambda/ground/closest.js';
import { DEFAULT_SHARD_MAX_CONCURRENCY } from '../lambda/ground/defaults.js';

/**
 * `--config FILE` for the CLI and `npm run serve`: the deployment's file read as `cdk synth` reads
 * it, and turned into the environment the function would get (infra's own sweepEnvironment), so
 * a local sweep of `--target NAME` runs with that target's template, method, rules and thresholds.
 * Headers secrets are not read locally: --header / --headers-file stand in for them.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** The file, read and checked; every mistake is an Error with one line naming it. */
export function configFileFor(file: string): StatusSweepConfig {
  try {
    return readConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigFileError) throw new Error(error.message, { cause: error });
    throw error;
  }
}

/** The function's environment from the file (no metrics mode: the CLI chooses its own). */
export function envFromConfig(config: StatusSweepConfig): Record<string, string> {
  const props = stackPropsFromConfig(config);
  const { METRICS_MODE: _, ...env } = sweepEnvironment(
    {
      ...props.function,
      shardSize: props.distributed?.shardSize,
      maxDistributedIds: props.distributed?.maxDistributedIds,
      scheduleNames: (props.schedules ?? []).map((s) => s.name),
    },
    {
      shardMaxConcurrency: props.distributed?.shardMaxConcurrency ?? DEFAULT_SHARD_MAX_CONCURRENCY,
    },
  );
  return env;
}

/** A target the file names: `name` itself, or an Error naming the nearest and every target. */
export function targetNamed(config: StatusSweepConfig, name: string, flag: string): string {
  const names = config.targets.map((t) => t.name);
  if (names.includes(name)) return name;
  const guess = closest(name, names);
  throw new Error(
    `${flag} "${name}" is not a target of the config file (${guess ? `did you mean "${guess}"? ` : ''}targets: ${names.join(', ')})`,
  );
}

/** The environment with the file's settings over it: the file decides what it names. */
export function withConfigEnv(env: Env, config: StatusSweepConfig): Env {
  return { ...env, ...envFromConfig(config) };
}
