import type { CliOptions } from './cli-args.js';
import { DEFAULT_END, DEFAULT_START, DEMO_CONCURRENCY } from './cli-flags.js';

/** The flags in the handler's words, and the handler's refusals back in the flags' words. */

const NUMBER = /^-?\d+(\.\d+)?$/;

/** The request, in the handler's field names; numbers where the flag holds one, else text. */
export function requestFields(cli: CliOptions, demo: boolean): Record<string, unknown> {
  const { flags } = cli;
  const value = (text: string | undefined) =>
    text === undefined ? undefined : NUMBER.test(text) ? Number(text) : text;
  const fields = {
    start: value(flags.start ?? String(DEFAULT_START)),
    end: value(flags.end ?? String(DEFAULT_END)),
    concurrency: value(flags.concurrency) ?? (demo ? DEMO_CONCURRENCY : undefined),
    timeoutMs: value(flags.timeout),
    retries: value(flags.retries),
    ratePerSecond: value(flags.rate),
    timeBudgetMs: value(flags['time-budget']),
    expect: cli.expect,
    target: cli.targetName,
    compareTarget: cli.compareTarget,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The handler's refusal in the flags' words, on one line: `invalid flags: --timeout must be …`. */
export function invalidFlagsText(
  message: string,
  fieldProblems: Readonly<Record<string, readonly string[]>> = {},
): string {
  const flagOf: Record<string, string> = {
    timeoutMs: 'timeout',
    ratePerSecond: 'rate',
    timeBudgetMs: 'time-budget',
    compareTarget: 'compare-target',
  };
  const flags = Object.keys(fieldProblems).map((field) => `--${flagOf[field] ?? field}`);
  // A refusal with its own arithmetic (a run that cannot finish) is kept whole.
  if (!message.startsWith('invalid request:')) {
    return flags.length > 0 ? `${message} (change ${flags.join(' or ')})` : message;
  }
  const details = Object.entries(fieldProblems).map(
    ([field, problems]) => `--${flagOf[field] ?? field} ${problems.join(', ')}`,
  );
  return details.length > 0 ? `invalid flags: ${details.join('; ')}` : message;
}
