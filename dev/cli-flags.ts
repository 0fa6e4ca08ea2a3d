import { MetricsMode } from '../lambda/ground/settings.js';
import { RequestLimits } from '../lambda/request/request-schema.js';

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
  /** The id map: a self-contained HTML page (lambda/idmap/). */
  html: 'html',
} as const;
export type Format = (typeof Format)[keyof typeof Format];

interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** Repeatable: every occurrence is kept. */
  readonly multiple?: true;
  /** The value's placeholder in --help. */
  readonly value?: string;
  readonly help: string;
  readonly default: string;
}

export const FLAGS = {
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
  config: {
    type: 'string',
    value: 'FILE',
    help: 'a status-sweep.config.json: its targets and limits (--target NAME picks one)',
    default: 'none',
  },
  target: {
    type: 'string',
    value: 'URL|NAME',
    help: 'URL template with {id}; with --config (or --api), a target name',
    default: 'TARGET_URL_TEMPLATE, else the built-in demo upstream',
  },
  'compare-target': {
    type: 'string',
    value: 'NAME',
    help: 'another target: the same ids swept there too; exit 1 when any id differs',
    default: 'none',
  },
  api: {
    type: 'string',
    value: '[URL]',
    help: 'your deployed API, signed (SigV4); alone: the HTTP API event in this process',
    default: 'off: a direct invoke in this process',
  },
  header: {
    type: 'string',
    multiple: true,
    value: "'N: V'",
    help: 'a request header for every id (repeatable; local runs); never printed',
    default: 'none',
  },
  'headers-file': {
    type: 'string',
    value: 'FILE',
    help: 'a JSON object of headers, as the TARGET_HEADERS_SECRET holds (local runs)',
    default: 'none',
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
    help: `'[{"ids":"1-1025","statuses":["2xx"]},{"ids":"1026-","statuses":[404]}]'`,
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
  debug: { type: 'boolean', help: 'stack traces with errors', default: 'off' },
  version: { type: 'boolean', help: 'the version', default: 'off' },
  help: { type: 'boolean', help: 'this text', default: 'off' },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;
export type CliFlags = {
  -readonly [K in FlagName]?: (typeof FLAGS)[K] extends { multiple: true }
    ? string[]
    : (typeof FLAGS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

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
With --api URL it asks your deployed stack instead, and follows a distributed run to its end.

${rows.join('\n')}

exit codes:
  ${ExitCode.ok}    verdict ok (or degraded, unless --fail-on degraded)
  ${ExitCode.failed}    verdict failed (or degraded with --fail-on degraded), or the sweep failed
  ${ExitCode.usage}    a mistake: unknown flag, invalid value, setting or path; nothing swept
  ${ExitCode.interrupted}  Ctrl-C: the partial summary of what finished was printed
`;
}

export const USAGE_LINE =
  'usage: npx status-sweep [flags]   (or: npm start -s -- [flags]; --help for every flag)';
