/**
 * `npx status-sweep` / `npm start`: one sweep through the deployed handler in this process,
 * printed for people (or as JSON, JUnit or Markdown), with an exit code CI can use.
 */
import {
  type Config,
  DEFAULT_FUNCTION_TIMEOUT_MS,
  loadConfig,
  MetricsMode,
} from '../lambda/config.js';
import { API_SWEEP_LIMIT_MS } from '../lambda/deadline.js';
import type { HistogramSnapshot } from '../lambda/sweep/histogram.js';
import { compareWithBaseline, loadBaseline, saveResponse } from './baseline.js';
import {
  type CliOptions,
  DEFAULT_END,
  DEFAULT_START,
  DEMO_CONCURRENCY,
  ExitCode,
  Format,
  helpText,
  parseCli,
  USAGE_LINE,
  UsageError,
} from './cli-flags.js';
import { sweepLocally, Via, viaFor } from './local-sweep.js';
import { idRecorder } from './per-id.js';
import { progressLine, wantsProgress } from './progress.js';
import { formatJunit, formatMarkdown } from './reports.js';
import { claimStdout } from './stdout.js';
import { formatSummary, type SummaryExtras } from './summary.js';
import { type LocalTarget, resolveTarget } from './target.js';
import type { CliResponse } from './verdict.js';

/** The Lambda runtime's Node major (nodejs24.x): older ones get a warning. */
const RUNTIME_NODE_MAJOR = 24;

type Env = Readonly<Record<string, string | undefined>>;
const say = (text: string) => process.stderr.write(`${text}\n`);

/** Runs the CLI; resolves to its exit code. */
async function main(argv: readonly string[], env: Env = process.env): Promise<number> {
  let cli: CliOptions;
  try {
    cli = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    throw error;
  }
  if (cli.flags.help) {
    process.stdout.write(helpText());
    return ExitCode.ok;
  }
  warnOnOldNode();
  const writeResult = claimStdout();
  const target = await resolveTarget(cli.flags.target, env);
  try {
    let config: Config;
    try {
      const metrics = cli.metrics ?? env.METRICS_MODE ?? MetricsMode.local;
      config = loadConfig({
        ...env,
        TARGET_URL_TEMPLATE: target.urlTemplate,
        METRICS_MODE: metrics,
      });
    } catch (error) {
      const via = cli.flags.target === undefined ? '' : ' (--target sets TARGET_URL_TEMPLATE)';
      return usageError(`${(error as Error).message}${via}`);
    }
    return await sweepAndReport(cli, config, target, writeResult, env);
  } finally {
    await target.close();
  }
}

async function sweepAndReport(
  cli: CliOptions,
  config: Config,
  target: LocalTarget,
  writeResult: (text: string) => void,
  env: Env,
): Promise<number> {
  const human = cli.format === Format.human;
  let baseline: Awaited<ReturnType<typeof loadBaseline>>;
  try {
    baseline = await loadBaseline(cli.flags.baseline);
  } catch (error) {
    return usageError((error as Error).message);
  }
  const fields = requestFields(cli, target);
  const via = viaFor(fields, config, cli.flags.api === true);
  if (human) {
    say(
      `sweeping ids ${fields.start}-${fields.end} at concurrency ${fields.concurrency ?? 'default'} (${via === Via.invoke ? 'direct invoke' : via === Via.api ? 'HTTP API event' : 'local distributed run'}) on ${target.description}`,
    );
  }
  const progress = progressLine(human && wantsProgress(process.stderr, env));
  const recorder = idRecorder(cli.flags.out);
  const interrupt = ctrlC(via);
  let latency: HistogramSnapshot | undefined;
  const result = await sweepLocally(fields, config, via, {
    log: () => undefined, // the summary replaces the log line
    onProgress: progress.update,
    onAggregate: (aggregate) => {
      latency = aggregate.latency;
      progress.clear(); // before the local metrics block
    },
    onSettle: recorder.onSettle,
    signal: interrupt.signal,
    onPlan: ({ shards, shardSize, atOnce, runMs }) => {
      if (human) {
        say(
          `distributed: ${shards} shards of up to ${shardSize} ids, ${atOnce} at a time, ~${Math.ceil(runMs / 1000)} s at 0.4 s per request (the local executor standing in for the Step Functions Distributed Map)`,
        );
      }
    },
  }).finally(() => {
    progress.clear();
    interrupt.dispose();
  });
  if (result.kind === 'invalid') return printInvalid(result.message, result.details);
  if (result.kind === 'failed') {
    say(`status-sweep: the sweep failed: ${result.message}`);
    return ExitCode.failed;
  }
  const response: CliResponse = compareWithBaseline(result.response, baseline);
  await saveResponse(cli.flags.save, response);
  await recorder.finish(response);
  const extras: SummaryExtras = {
    latency,
    slowest: recorder.slowest(),
    stoppedBy: interrupt.signal.aborted ? 'Ctrl-C' : stoppedBy(cli, via),
  };
  if (human && response.metrics.status === MetricsMode.local) say('');
  writeResult(render(cli, response, extras));
  if (interrupt.signal.aborted) return ExitCode.interrupted;
  const { verdict } = response;
  const fails = verdict === 'failed' || (verdict === 'degraded' && cli.failOn === 'degraded');
  return fails ? ExitCode.failed : ExitCode.ok;
}

function render(cli: CliOptions, response: CliResponse, extras: SummaryExtras): string {
  switch (cli.format) {
    case Format.json:
      return `${JSON.stringify(response)}\n`;
    case Format.junit:
      return formatJunit(response, cli.expect);
    case Format.markdown:
      return formatMarkdown(response);
    default:
      return formatSummary(response, extras);
  }
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** The request, in the handler's field names; numbers where the flag holds one, else text. */
function requestFields(cli: CliOptions, target: LocalTarget): Record<string, unknown> {
  const { flags } = cli;
  const value = (text: string | undefined) =>
    text === undefined ? undefined : NUMBER.test(text) ? Number(text) : text;
  const fields = {
    start: value(flags.start ?? String(DEFAULT_START)),
    end: value(flags.end ?? String(DEFAULT_END)),
    concurrency: value(flags.concurrency) ?? (target.demo ? DEMO_CONCURRENCY : undefined),
    timeoutMs: value(flags.timeout),
    retries: value(flags.retries),
    ratePerSecond: value(flags.rate),
    timeBudgetMs: value(flags['time-budget']),
    expect: cli.expect,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** What bounded a sweep that did not finish, in words. */
function stoppedBy(cli: CliOptions, via: Via): string {
  const budget = Number(cli.flags['time-budget']);
  const api = via === Via.api;
  if (budget > 0 && (!api || budget < API_SWEEP_LIMIT_MS))
    return `the --time-budget of ${budget} ms`;
  if (api) return `API Gateway's limit (${API_SWEEP_LIMIT_MS / 1000} s for an API sweep)`;
  return `the function's ${DEFAULT_FUNCTION_TIMEOUT_MS / 1000} s timeout`;
}

/**
 * Ctrl-C aborts the sweep through its signal: what finished is summarised, then exit 130. A
 * second Ctrl-C, or one during a local distributed run (its shards take no signal), exits at once.
 */
function ctrlC(via: Via): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted || via === Via.distributed) process.exit(ExitCode.interrupted);
    say('\ninterrupted: summarising what finished (Ctrl-C again to quit now)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/** The handler's refusal in the flags' words: `--timeout must be …`. */
function printInvalid(
  message: string,
  fieldProblems: Readonly<Record<string, readonly string[]>> = {},
): number {
  const flagOf: Record<string, string> = {
    timeoutMs: 'timeout',
    ratePerSecond: 'rate',
    timeBudgetMs: 'time-budget',
  };
  const details = Object.entries(fieldProblems).map(
    ([field, problems]) => `  --${flagOf[field] ?? field} ${problems.join(', ')}`,
  );
  say(`status-sweep: ${details.length > 0 ? `invalid flags\n${details.join('\n')}` : message}`);
  return ExitCode.usage;
}

function usageError(message: string): number {
  say(`status-sweep: ${message}\n${USAGE_LINE}`);
  return ExitCode.usage;
}

function warnOnOldNode(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= RUNTIME_NODE_MAJOR) return;
  say(
    `status-sweep: warning: running on Node ${process.versions.node}; the Lambda runtime is Node ${RUNTIME_NODE_MAJOR}. Run \`npm ci\` (without --ignore-scripts) and use \`npx status-sweep\` or \`npm start\`, which run the Node ${RUNTIME_NODE_MAJOR} it installs (README, Troubleshooting).`,
  );
}

process.exitCode = await main(process.argv.slice(2));
