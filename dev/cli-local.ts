import type { Baseline } from '../lambda/baseline/baseline.js';
import { API_SWEEP_LIMIT_MS } from '../lambda/ground/deadline.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS } from '../lambda/ground/defaults.js';
import type { HistogramSnapshot } from '../lambda/sweep/data.js';
import type { CliOptions } from './cli-args.js';
import { configFrom, type LocalPlan } from './cli-check.js';
import { ExitCode, Format } from './cli-flags.js';
import { finish, say } from './cli-report.js';
import { ctrlC } from './ctrl-c.js';
import { sweepLocally } from './local-sweep.js';
import { idRecorder } from './per-id.js';
import { progressLine, wantsProgress } from './progress.js';
import { holdStderr } from './stdout.js';
import { resolveTarget } from './target.js';
import { Via } from './via.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What a checked local sweep needs beyond its plan. */
export interface LocalRun {
  readonly env: Env;
  readonly baseline?: Baseline;
  readonly headers?: Readonly<Record<string, string>>;
  readonly writeResult: (text: string) => void;
}

const VIA_WORDS = {
  [Via.invoke]: 'direct invoke',
  [Via.api]: 'HTTP API event',
  [Via.distributed]: 'local distributed run',
} as const;

/**
 * A local sweep through the deployed handler in this process (loaded only once the flags and
 * settings were checked): the target, the announcement, progress, Ctrl-C, the result.
 */
export async function sweepHere(cli: CliOptions, plan: LocalPlan, run: LocalRun): Promise<number> {
  const target = await resolveTarget(cli.flags.target, run.env);
  const metricsBlock = holdStderr();
  try {
    const config = configFrom(cli, run.env, target.urlTemplate);
    const { fields, via } = plan;
    const human = cli.format === Format.human;
    if (human) {
      say(
        `sweeping ids ${fields.start}-${fields.end} at concurrency ${fields.concurrency ?? 'default'} (${VIA_WORDS[via]})`,
      );
      say(`  on ${target.description}`);
    }
    const progress = progressLine(human && wantsProgress(process.stderr, run.env));
    const recorder = idRecorder(cli.flags.out);
    const interrupt = ctrlC();
    let latency: HistogramSnapshot | undefined;
    const headers = run.headers;
    const result = await sweepLocally(fields, config, via, {
      log: () => undefined, // the summary replaces the log line
      onProgress: progress.update,
      onAggregate: (aggregate) => {
        latency = aggregate.latency;
        progress.clear();
        if (human) metricsBlock.start(); // the local metrics block follows the summary
      },
      onSettle: recorder.onSettle,
      signal: interrupt.signal,
      ...(headers && { targetHeaders: async () => headers }),
      onPlan: ({ shards, shardSize, atOnce, runMs }) => {
        if (!human) return;
        say(
          `distributed: ${shards} shards of up to ${shardSize} ids, ${atOnce} at a time, ~${Math.ceil(runMs / 1000)} s at 0.4 s per id`,
        );
        say('  (the local executor standing in for the Step Functions Distributed Map)');
      },
    }).finally(() => {
      progress.clear();
      interrupt.dispose();
    });
    // What the sweep printed on stderr as it concluded (the metrics block) follows the summary.
    const writeResult = (text: string) => {
      run.writeResult(text);
      metricsBlock.release();
    };
    if (result.kind === 'invalid') {
      say(`status-sweep: ${result.message}`);
      return ExitCode.usage;
    }
    if (result.kind === 'failed') {
      say(`status-sweep: the sweep failed: ${result.message}`);
      return ExitCode.failed;
    }
    await recorder.finish(result.response);
    const interrupted = interrupt.signal.aborted;
    const extras = {
      latency,
      slowest: recorder.slowest(),
      stoppedBy: interrupted ? 'you (Ctrl-C)' : stoppedBy(cli, via),
    };
    return await finish(
      cli,
      run.baseline,
      { response: result.response, extras, interrupted },
      writeResult,
    );
  } finally {
    metricsBlock.release();
    await target.close();
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
