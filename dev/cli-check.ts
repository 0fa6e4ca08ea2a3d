import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { planFor } from '../lambda/distributed/start.js';
import { parseTargetHeaders } from '../lambda/entry/target-headers.js';
import { type Config, loadConfig } from '../lambda/ground/config.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS } from '../lambda/ground/defaults.js';
import { hideFromLogs } from '../lambda/ground/error-line.js';
import { ConfigError, InvalidRequestError } from '../lambda/ground/errors.js';
import { MetricsMode } from '../lambda/ground/settings.js';
import { targetedParser } from '../lambda/request/targeted.js';
import { rangeSize } from '../lambda/sweep/data.js';
import { type CliOptions, UsageError } from './cli-args.js';
import type { CliFlags } from './cli-flags.js';
import { invalidFlagsText, requestFields } from './cli-request.js';
import { Via, viaFor } from './via.js';

/**
 * Everything the CLI can refuse, refused before anything runs: settings from the environment,
 * flag values (the handler's own validation and the distributed plan's arithmetic), the paths it
 * will write, and the headers it will send. Each throws UsageError: one line, exit 2.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** Stands in for the demo upstream's URL until it is started: only its shape is checked. */
const DEMO_PLACEHOLDER = 'http://127.0.0.1/api/v2/pokemon/{id}/';

/** A local sweep, checked: its config, request fields and path through the handler. */
export interface LocalPlan {
  readonly config: Config;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly via: Via;
  /** True when no target was given: the built-in demo upstream is started. */
  readonly demo: boolean;
}

/** The settings and flags of a local sweep, as the handler would check them. */
export function checkLocal(cli: CliOptions, env: Env): LocalPlan {
  const given = cli.flags.target ?? env.TARGET_URL_TEMPLATE;
  const config = configFrom(cli, env, given ?? DEMO_PLACEHOLDER);
  const fields = requestFields(cli, given === undefined);
  const via = viaFor(fields, config, cli.flags.api !== undefined);
  const parser = targetedParser(config, { distributed: true });
  try {
    const request = via === Via.api ? parser.fromApi(fields, 'body') : parser.fromEvent(fields);
    if (rangeSize(request.range) > config.maxIds) {
      planFor(request, config, DEFAULT_FUNCTION_TIMEOUT_MS); // throws if it cannot finish
    }
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    throw new UsageError(invalidFlagsText(error.message, error.details), { cause: error });
  }
  return { config, fields, via, demo: given === undefined };
}

/** The config from the environment and flags; `urlTemplate` is the target's. */
export function configFrom(cli: CliOptions, env: Env, urlTemplate: string): Config {
  try {
    // Local sweeps never publish to the shell's AWS account unless asked to.
    const metrics = cli.metrics ?? env.METRICS_MODE ?? MetricsMode.local;
    return loadConfig({ ...env, TARGET_URL_TEMPLATE: urlTemplate, METRICS_MODE: metrics });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const via = cli.flags.target === undefined ? '' : ' (--target sets TARGET_URL_TEMPLATE)';
    throw new UsageError(`${error.message}${via}`, { cause: error });
  }
}

/** Each file a flag will write: not a folder, in a folder that exists and may be written. */
export function checkOutputs(flags: CliFlags): void {
  for (const flag of ['save', 'out'] as const) {
    const path = flags[flag];
    if (path === undefined) continue;
    const full = resolve(path);
    const existing = statOrUndefined(full);
    if (existing?.isDirectory()) throw new UsageError(`--${flag} ${path} is a folder, not a file`);
    const folder = existing ? full : dirname(full);
    try {
      accessSync(folder, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : `cannot write (${code})`;
      throw new UsageError(`--${flag} ${path}: ${why}`);
    }
  }
}

/**
 * The request headers of --headers-file and --header (which wins), with the same rules as the
 * deployed TARGET_HEADERS_SECRET; no message ever shows a value.
 */
export function headersFrom(flags: CliFlags): Readonly<Record<string, string>> | undefined {
  const file = flags['headers-file'];
  const lines = flags.header ?? [];
  if (file === undefined && lines.length === 0) return undefined;
  try {
    const fromFile =
      file === undefined
        ? {}
        : parseTargetHeaders(file, readHeadersFile(file), `--headers-file ${file}`);
    const pairs = lines.map((line, i) => {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new UsageError(`--header #${i + 1} must be 'Name: value'`);
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()] as const;
    });
    if (new Set(pairs.map(([name]) => name.toLowerCase())).size < pairs.length) {
      throw new UsageError('--header names one header twice (header names ignore case)');
    }
    const fromFlags = parseTargetHeaders(
      '--header',
      JSON.stringify(Object.fromEntries(pairs)),
      '--header',
    );
    const headers = { ...fromFile, ...fromFlags };
    hideFromLogs(Object.values(headers));
    return headers;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

function readHeadersFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--headers-file ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
