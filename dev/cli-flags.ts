import { parseArgs } from 'node:util';
import { MetricsMode } from '../lambda/config.js';
import { RequestLimits } from '../lambda/request.js';

/** The CLI's flags, their defaults and help text: `--help` is printed from this table. */

/** The headline demo: 100 ids all at once against the ~400 ms demo upstream. */
export const DEMO_CONCURRENCY = 100;
export const DEFAULT_START = 1;
export const DEFAULT_END = 100;

export const ExitCode = {
  /** The verdict is ok (or degraded without --fail-on degraded). */
  ok: 0,
  /** The verdict is failed (or degraded with --fail-on degraded), or the sweep itself failed. */
  failed: 1,
  /** Bad flags or settings: nothing was swept. */
  usage: 2,
  /** Ctrl-C: the partial summary of what finished was printed. 128 + SIGINT (2), as shells do. */
  interrupted: 130,
} as const;

export const Format = {
  human: 'human',
  json: 'json',
  junit: 'junit',
  markdown: 'markdown',
} as const;
export type Format = (typeof Format)[keyof typeof Format];

interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in --help. */
  readonly value?: string;
  readonly help: string;
  readonly default: string;
}

const FLAGS = {
  start: { type: 'string', value: 'N', help: 'first id', default: String(DEFAULT_START) },
  end: { type: 'string', value: 'N', help: 'last id', default: String(DEFAULT_END) },
  concurrency: {
    type: 'string',
    value: 'N',
    help: 'requests in flight',
    default: `${DEMO_CONCURRENCY} on the demo upstream, else ${RequestLimits.defaultConcurrency}`,
  },
  timeout: {
    type: 'string',
    value: 'MS',
    help: 'per attempt',
    default: String(RequestLimits.timeoutMs.default),
  },
  retries: {
    type: 'string',
    value: 'N',
    help: 'extra attempts for network errors, 429, 502-504',
    default: String(RequestLimits.retries.default),
  },
  rate: { type: 'string', value: 'N', help: 'request starts per second', default: 'unlimited' },
  'time-budget': {
    type: 'string',
    value: 'MS',
    help: 'the whole sweep',
    default: "the function's 120 s timeout (28 s with --api)",
  },
  target: {
    type: 'string',
    value: 'URL',
    help: 'URL template with {id}',
    default: 'TARGET_URL_TEMPLATE, else the built-in demo upstream',
  },
  api: {
    type: 'boolean',
    help: 'go through the HTTP API event (API Gateway 28 s limit) instead of a direct invoke',
    default: 'off',
  },
  metrics: {
    type: 'string',
    value: 'MODE',
    help: Object.values(MetricsMode).join('|'),
    default: 'METRICS_MODE, else local (never your AWS account by surprise)',
  },
  expect: {
    type: 'string',
    value: 'JSON',
    help: `expectation rules, e.g. '[{"ids":"1-1025","statuses":["2xx"]},{"ids":"1026-","statuses":[404]}]'`,
    default: '[{"statuses":["2xx","3xx"]}]',
  },
  'fail-on': {
    type: 'string',
    value: 'VERDICT',
    help: 'failed|degraded: the verdict that exits 1',
    default: 'failed',
  },
  format: {
    type: 'string',
    value: 'FMT',
    help: Object.values(Format).join('|'),
    default: Format.human,
  },
  json: { type: 'boolean', help: 'same as --format json', default: 'off' },
  out: {
    type: 'string',
    value: 'FILE',
    help: 'one JSON line per id: {"id","outcome","latencyMs","attempts"}',
    default: 'none',
  },
  baseline: {
    type: 'string',
    value: 'FILE',
    help: 'an earlier --json output: what changed since it comes first',
    default: 'none',
  },
  save: {
    type: 'string',
    value: 'FILE',
    help: "this sweep's --json output, for the next --baseline",
    default: 'none',
  },
  help: { type: 'boolean', help: 'this text', default: 'off' },
} as const satisfies Record<string, FlagSpec>;

type FlagName = keyof typeof FLAGS;
export type CliFlags = {
  -readonly [K in FlagName]?: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};

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

/** `--help`: every flag with its default, and the exit codes. */
export function helpText(): string {
  const rows = Object.entries(FLAGS).map(([name, spec]: [string, FlagSpec]) => {
    const left = `  --${name}${spec.value ? ` ${spec.value}` : ''}`.padEnd(22);
    return `${left}${spec.help}\n${''.padEnd(22)}default: ${spec.default}`;
  });
  return `${USAGE_LINE}

Sweeps ids start..end through the deployed handler, in this process: a direct invoke unless
--api. Without --target (or TARGET_URL_TEMPLATE) it starts the built-in demo upstream on
loopback and sweeps that. Ranges above MAX_IDS run on the local distributed executor.

${rows.join('\n')}

exit codes:
  ${ExitCode.ok}    verdict ok (or degraded, unless --fail-on degraded)
  ${ExitCode.failed}    verdict failed (or degraded with --fail-on degraded), or the sweep failed
  ${ExitCode.usage}    bad usage: unknown flag, invalid value or setting; nothing swept
  ${ExitCode.interrupted}  Ctrl-C: the partial summary of what finished was printed
`;
}

export const USAGE_LINE =
  'usage: npx status-sweep [flags]   (or: npm start -s -- [flags]; --help for every flag)';
