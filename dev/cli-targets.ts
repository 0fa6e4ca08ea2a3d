import { CONFIG_FILE } from '../infra/config/schema.js';
import { type CliOptions, UsageError } from './cli-args.js';
import { configFileFor, targetNamed, withConfigEnv } from './cli-config.js';
import { planText } from './plan.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A mistake in a file is the user's: one line, exit 2. */
function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

/**
 * `--config FILE`, `--target NAME` and `--compare-target NAME` in the handler's words: the file's
 * settings as the function's environment, and the names as the request's `target` and
 * `compareTarget`. Without --config, --target stays a URL template; with --api, names go to the
 * deployed API, which checks them against its own.
 */
export function withTargets(cli: CliOptions, env: Env): { cli: CliOptions; env: Env } {
  const file = cli.flags.config;
  const compare = cli.flags['compare-target'];
  if (file === undefined) {
    if (cli.apiUrl !== undefined) {
      const { target, ...flags } = cli.flags;
      return {
        cli: { ...cli, flags, targetName: target, compareTarget: compare },
        env,
      };
    }
    if (compare !== undefined) {
      throw new UsageError(
        `--compare-target names a target of --config (or of the API with --api)`,
      );
    }
    return { cli, env };
  }
  if (cli.apiUrl !== undefined) {
    throw new UsageError('--config is for local sweeps: the deployed API has its own targets');
  }
  const config = usage(() => configFileFor(file));
  const named = (name: string | undefined, flag: string) =>
    name === undefined ? undefined : usage(() => targetNamed(config, name, flag));
  const { target, ...flags } = cli.flags;
  return {
    cli: {
      ...cli,
      flags,
      targetName: named(target, '--target'),
      compareTarget: named(compare, '--compare-target'),
    },
    env: withConfigEnv(env, config),
  };
}

/** `status-sweep config [--config FILE]`: the resolved plan, exit 0; a mistake, exit 2. */
export function printPlan(argv: readonly string[]): number {
  const [flag, file = CONFIG_FILE, ...rest] = argv;
  if ((flag !== undefined && flag !== '--config') || rest.length > 0 || (flag && !argv[1])) {
    process.stderr.write('status-sweep: usage: status-sweep config [--config FILE]\n');
    return 2;
  }
  try {
    process.stdout.write(planText(configFileFor(file), file));
    return 0;
  } catch (error) {
    process.stderr.write(`status-sweep: ${(error as Error).message}\n`);
    return 2;
  }
}
