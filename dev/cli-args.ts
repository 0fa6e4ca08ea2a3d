import { parseArgs } from 'node:util';
import { closest } from '../lambda/ground/closest.js';
import { MetricsMode } from '../lambda/ground/settings.js';
import { type CliFlags, FLAGS, type FlagName, Format } from './cli-flags.js';

/** The command line read against the flag table: each mistake a sentence a person can act on. */

/** What the flags ask for, checked as far as the CLI can (the handler checks the rest). */
export interface CliOptions {
  readonly flags: CliFlags;
  readonly format: Format;
  readonly failOn: 'failed' | 'degraded';
  readonly metrics?: MetricsMode;
  /** Parsed --expect rules, passed as the request's `expect` field. */
  readonly expect?: unknown;
  /** `--api URL`: the deployed API to ask; `--api` alone is the HTTP API event in this process. */
  readonly apiUrl?: URL;
  /** `--target NAME` with --config or --api: the request's `target`. */
  readonly targetName?: string;
  /** `--compare-target NAME`: the request's `compareTarget`. */
  readonly compareTarget?: string;
}

/** What a bare `--api` stands for: the HTTP API event in this process, as before it took a URL. */
const IN_PROCESS_API = 'here';

/** A mistake in the command line: printed with the usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses argv; throws UsageError with a message a person can act on. */
export function parseCli(argv: readonly string[]): CliOptions {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, spec]) => [
      name,
      { type: spec.type, multiple: 'multiple' in spec },
    ]),
  ) as Record<FlagName, { type: 'string' | 'boolean'; multiple: boolean }>;
  options.help = { type: 'boolean', short: 'h', multiple: false } as (typeof options)['help'];
  let values: CliFlags;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: withBareApi(argv),
      options,
      strict: true,
      allowPositionals: true,
    }) as { values: CliFlags; positionals: string[] });
  } catch (error) {
    throw new UsageError(explain(error as Error & { code?: string }));
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = values.json ? Format.json : (values.format ?? Format.human);
  if (!isOneOf(format, Object.values(Format))) {
    throw new UsageError(
      `--format must be one of ${Object.values(Format).join(', ')}, got "${format}"`,
    );
  }
  const failOn = values['fail-on'] ?? 'failed';
  if (failOn !== 'failed' && failOn !== 'degraded') {
    throw new UsageError(`--fail-on must be failed or degraded, got "${failOn}"`);
  }
  const metrics = values.metrics;
  if (metrics !== undefined && !isOneOf(metrics, Object.values(MetricsMode))) {
    throw new UsageError(
      `--metrics must be one of ${Object.values(MetricsMode).join(', ')}, got "${metrics}"`,
    );
  }
  return {
    flags: values,
    format,
    failOn,
    metrics,
    expect: parseExpect(values.expect),
    apiUrl: parseApiUrl(values.api),
  };
}

/** `--api` with no URL after it (the end, or another flag) keeps its old meaning. */
function withBareApi(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const next = argv[i + 1];
    return arg === '--api' && (next === undefined || next.startsWith('-'))
      ? `--api=${IN_PROCESS_API}`
      : arg;
  });
}

/** The deployed API's base URL: https, or http on loopback (tests, a local stand-in). */
function parseApiUrl(text: string | undefined): URL | undefined {
  if (text === undefined || text === IN_PROCESS_API) return undefined;
  let url: URL;
  try {
    url = new URL(text.endsWith('/') ? text : `${text}/`);
  } catch {
    throw new UsageError(`--api must be your API's URL (https://…execute-api…/), got "${text}"`);
  }
  const loopback = url.protocol === 'http:' && url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !loopback) {
    throw new UsageError(`--api must be an https:// URL (http only on 127.0.0.1), got "${text}"`);
  }
  return url;
}

function parseExpect(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--expect must be JSON rules: ${(error as Error).message}`);
  }
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/** Node's parser messages, in a sentence with a suggestion for a mistyped flag. */
function explain(error: Error & { code?: string }): string {
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const guess = closest(flag.replace(/^-+/, ''), Object.keys(FLAGS));
    return `unknown flag ${flag}${guess ? ` (did you mean --${guess}?)` : ''}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return FLAGS[flag.replace(/^-+/, '') as FlagName]?.type === 'boolean'
      ? `${flag} takes no value`
      : `${flag} needs a value`;
  }
  return error.message;
}
