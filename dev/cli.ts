/**
 * `npx status-sweep` / `npm start`: one sweep through the deployed handler in this process,
 * printed for people (or as JSON, JUnit or Markdown), with an exit code CI can use.
 */

import type { SweepResponse } from '../lambda/contract/response.js';
import { type Config, loadConfig } from '../lambda/ground/config.js';
import { API_SWEEP_LIMIT_MS } from '../lambda/ground/deadline.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS } from '../lambda/ground/defaults.js';
import { MetricsMode } from '../lambda/ground/settings.js';
import type { HistogramSnapshot } from '../lambda/sweep/data.js';
import { compareWithBaseline, loadBaseline, saveResponse } from './baseline.js';
import { type CliOptions, parseCli, UsageError } from './cli-args.js';
import { ExitCode, Format, helpText, USAGE_LINE } from './cli-flags.js';
import { invalidFlagsText, requestFields } from './cli-request.js';
import { ctrlC } from './ctrl-c.js';
import { sweepLocally, Via, viaFor } from './local-sweep.js';
import { idRecorder } from './per-id.js';
import { progressLine, wantsProgress } from './progress.js';
import { formatJunit, formatMarkdown } from './reports.js';
import { claimStdout } from './stdout.js';
import { formatSummary, type SummaryExtras } from './summary.js';
import { type LocalTarget, resolveTarget } from './target.js';

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
  if (result.kind === 'invalid') {
    say(`status-sweep: ${invalidFlagsText(result.message, result.details)}`);
    return ExitCode.usage;
  }
  if (result.kind === 'failed') {
    say(`status-sweep: the sweep failed: ${result.message}`);
    return ExitCode.failed;
  }
  const response: SweepResponse = compareWithBaseline(result.response, baseline);
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

function render(cli: CliOptions, response: SweepResponse, extras: SummaryExtras): string {
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

/** What bounded a sweep that did not finish, in words. */
function stoppedBy(cli: CliOptions, via: Via): string {
  const budget = Number(cli.flags['time-budget']);
  const api = via === Via.api;
  if (budget > 0 && (!api || budget < API_SWEEP_LIMIT_MS))
    return `the --time-budget of ${budget} ms`;
  if (api) return `API Gateway's limit (${API_SWEEP_LIMIT_MS / 1000} s for an API sweep)`;
  return `the function's ${DEFAULT_FUNCTION_TIMEOUT_MS / 1000} s timeout`;
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
