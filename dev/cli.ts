/**
 * `npm start`: one sweep through the deployed handler (same middy stack, an HTTP API event built
 * from the flags), printed for people, or as the raw response with --json.
 */
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../lambda/config.js';
import { InvalidRequestError } from '../lambda/errors.js';
import { createHandlers } from '../lambda/handler.js';
import type { SweepRequest } from '../lambda/options.js';
import { requestParser } from '../lambda/request.js';
import type { SweepResponse } from '../lambda/response.js';
import { SWEEPS_PATH } from '../lambda/routes.js';
import type { HistogramSnapshot } from '../lambda/sweep/histogram.js';
import { compareWithBaseline, loadBaseline, saveResponse } from './baseline.js';
import { toHttpApiEvent } from './http-api-event.js';
import { lambdaContext } from './lambda-context.js';
import { runDistributedLocally } from './local-runs.js';
import { formatSummary } from './summary.js';
import { resolveTarget } from './target.js';

const USAGE = `usage: npm start -- [--start N] [--end N] [--concurrency N] [--timeout MS] [--retries N]
                    [--target URL_WITH_{id}] [--json] [--baseline PREV.json] [--save OUT.json]
  Sweeps ids start..end (default 1..100). Without --target (or TARGET_URL_TEMPLATE) it starts
  the built-in demo upstream on loopback and sweeps that. --baseline compares with an earlier
  --json output (what changed comes first); --save writes this sweep's, for the next run.`;
/** Sweeps shorter than this finish before a progress line would help. */
const PROGRESS_AFTER_MS = 1_000;
const EXIT_USAGE = 2;

const FLAGS = {
  start: { type: 'string' },
  end: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  target: { type: 'string' },
  json: { type: 'boolean', default: false },
  baseline: { type: 'string' },
  save: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function main(argv: readonly string[]): Promise<number> {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const target = await resolveTarget(flags.target, process.env);
  try {
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig({ ...process.env, TARGET_URL_TEMPLATE: target.urlTemplate });
    } catch (error) {
      const via = flags.target === undefined ? '' : ' (--target sets TARGET_URL_TEMPLATE)';
      return usageError(`${(error as Error).message}${via}`);
    }
    let baseline: Awaited<ReturnType<typeof loadBaseline>>;
    try {
      baseline = await loadBaseline(flags.baseline);
    } catch (error) {
      return usageError((error as Error).message);
    }
    /** The response with its changes since --baseline, saved where --save says. */
    const conclude = async (response: SweepResponse) => {
      const compared = compareWithBaseline(response, baseline);
      await saveResponse(flags.save, compared);
      return compared;
    };
    const progress = progressLine(!flags.json && process.stderr.isTTY === true);
    let latency: HistogramSnapshot | undefined;
    const { http } = createHandlers(config, {
      log: () => undefined, // the summary below replaces the log line
      onProgress: progress.update,
      onAggregate: (aggregate) => {
        latency = aggregate.latency;
      },
    });
    if (!flags.json) process.stderr.write(`sweeping ${target.description}\n`);
    const fields = requestBody(flags);
    if (exceedsOneInvocation(fields, config.maxIds)) {
      return await sweepDistributed(fields, config, flags.json, progress, conclude);
    }
    const body = JSON.stringify(fields);
    const event = toHttpApiEvent({
      method: 'POST',
      url: SWEEPS_PATH,
      headers: { 'content-type': 'application/json', 'user-agent': 'status-sweep-cli' },
      body: Buffer.from(body),
    });
    const result = await http(event, lambdaContext());
    progress.clear();
    if (result.statusCode !== 200) return requestError(result);
    const response = await conclude(JSON.parse(String(result.body)) as SweepResponse);
    process.stdout.write(
      flags.json ? `${JSON.stringify(response)}\n` : formatSummary(response, latency),
    );
    return 0;
  } finally {
    await target.close();
  }
}

function parseFlags(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: FLAGS,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  return values;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Numbers where the flag holds one; anything else goes through as text for the handler to reject. */
function requestBody(flags: ReturnType<typeof parseFlags>): Record<string, unknown> {
  const value = (text: string | undefined) =>
    text === undefined ? undefined : NUMBER.test(text) ? Number(text) : text;
  return {
    start: value(flags.start ?? '1'),
    end: value(flags.end ?? '100'),
    concurrency: value(flags.concurrency),
    timeoutMs: value(flags.timeout),
    retries: value(flags.retries),
  };
}

/** The handler's 4xx, in the flags' words: `--timeout must be …`. */
function requestError(result: { statusCode?: number; body?: string }): number {
  const { error } = JSON.parse(String(result.body)) as {
    error: { message: string; details?: Record<string, readonly string[]> };
  };
  printInvalid(error.message, error.details);
  return (result.statusCode ?? 500) < 500 ? EXIT_USAGE : 1;
}

function printInvalid(
  message: string,
  fieldProblems: Readonly<Record<string, readonly string[]>> = {},
): void {
  const flagOf: Record<string, string> = { timeoutMs: 'timeout' };
  const details = Object.entries(fieldProblems).map(
    ([field, problems]) => `  --${flagOf[field] ?? field} ${problems.join(', ')}`,
  );
  process.stderr.write(
    `status-sweep: ${details.length > 0 ? `invalid flags\n${details.join('\n')}` : message}\n`,
  );
}

/** More ids than one invocation sweeps: a deployed API would hand them to Step Functions. */
function exceedsOneInvocation(fields: Record<string, unknown>, maxIds: number): boolean {
  const { start, end } = fields;
  return typeof start === 'number' && typeof end === 'number' && end - start + 1 > maxIds;
}

/** A range above MAX_IDS through the local executor: same shards, same merge as in AWS. */
async function sweepDistributed(
  fields: Record<string, unknown>,
  config: Config,
  json: boolean,
  progress: ReturnType<typeof progressLine>,
  conclude: (response: SweepResponse) => Promise<SweepResponse>,
): Promise<number> {
  let request: SweepRequest;
  try {
    request = requestParser(config, { distributed: true }).fromEvent(fields);
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    printInvalid(error.message, error.details);
    return EXIT_USAGE;
  }
  let latency: HistogramSnapshot | undefined;
  const response = await runDistributedLocally(request, config, {
    onPlan: ({ shards, shardSize, atOnce, runMs }) => {
      if (json) return;
      process.stderr.write(
        `distributed: ${shards} shards of up to ${shardSize} ids, ${atOnce} at a time, ~${Math.ceil(runMs / 1000)} s at 0.4 s per request (the local executor standing in for the Step Functions Distributed Map)\n`,
      );
    },
    onProgress: progress.update,
    onAggregate: (aggregate) => {
      latency = aggregate.latency;
    },
  }).catch((error: unknown) => {
    if (!(error instanceof InvalidRequestError)) throw error;
    printInvalid(error.message, error.details);
    return undefined;
  });
  if (!response) return EXIT_USAGE;
  progress.clear();
  const compared = await conclude(response);
  process.stdout.write(json ? `${JSON.stringify(compared)}\n` : formatSummary(compared, latency));
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`status-sweep: ${message}\n${USAGE}\n`);
  return EXIT_USAGE;
}

/** A one-line progress display on a TTY, shown only once a sweep has run for a second. */
function progressLine(enabled: boolean) {
  const startedAt = Date.now();
  let shown = false;
  return {
    update: (settled: number, total: number) => {
      const elapsed = Date.now() - startedAt;
      if (!enabled || elapsed < PROGRESS_AFTER_MS) return;
      shown = true;
      const pct = Math.floor((settled / total) * 100);
      process.stderr.write(
        `\r\x1b[2K  ${settled}/${total} ids (${pct}%) · ${(elapsed / 1000).toFixed(1)} s`,
      );
    },
    clear: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

process.exitCode = await main(process.argv.slice(2));
