import { parseArgs } from 'node:util';
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
}

/** A mistake in the command line: printed with the usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses argv; throws UsageError with a message a person can act on. */
export function parseCli(argv: readonly string[]): CliOptions {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, spec]) => [name, { type: spec.type }]),
  ) as Record<FlagName, { type: 'string' | 'boolean' }>;
  options.help = { type: 'boolean', short: 'h' } as { type: 'boolean' };
  let values: CliFlags;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
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
  return { flags: values, format, failOn, metrics, expect: parseExpect(values.expect) };
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
    const guess = closest(flag.replace(/^-+/, ''));
    return `unknown flag ${flag}${guess ? ` (did you mean --${guess}?)` : ''}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return FLAGS[flag.replace(/^-+/, '') as FlagName]?.type === 'boolean'
      ? `${flag} takes no value`
      : `${flag} needs a value`;
  }
  return error.message;
}

/** The known flag nearest to a typo, within two edits. */
function closest(typo: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of Object.keys(FLAGS)) {
    const distance = editDistance(typo, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
    }
    row = next;
  }
  return row[b.length] ?? 0;
}
