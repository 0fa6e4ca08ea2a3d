import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { workerPath } from '../lib/build.js';
import { type Bundle, LOOPBACK_AWS_ENV } from '../lib/deployed.js';
import { childEnv, runFresh } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { startRuntimeApi } from '../lib/runtime-api.js';
import { fmt, interleaved, median, range, type Variant, withRange } from '../lib/stats.js';
import type { ColdResult } from '../workers/cold.js';
import { type BenchContext, template } from './context.js';
import { LAMBDA_128_FLAGS } from './scale.js';

/** The cold row's sweep (item 1): 100 ids at 400 ms, all in flight. */
const LATENCY_MS = 400;
const EVENT = { start: 1, end: 100, concurrency: 100, retries: 0 } as const;
/** Invokes after the first in each fresh process. */
const WARM_INVOKES = 2;
const MEMORY_MB = 128;
/** The package the nodejs runtimes run as /var/runtime/index.mjs. */
const RIC_PACKAGE = 'aws-lambda-ric';
/** Names another copy of the runtime interface client's entry (index.mjs), e.g. one not yet in package.json. */
const RIC_OVERRIDE = 'BENCH_LAMBDA_RIC';
/**
 * What the nodejs runtime's bootstrap passes to node besides the memory flags (LAMBDA_128_FLAGS,
 * derived from the function's memory); the function's NODE_OPTIONS come on top.
 */
const BOOTSTRAP_FLAGS = ['--expose-gc', '--max-http-header-size=81920'] as const;

interface Invoked {
  /** Spawn → the runtime's first `next`: node's start, the client's load, the handler's import. */
  readonly initMs: number;
  readonly firstInvokeMs: number;
  readonly firstSweepMs: number;
  /** Spawn → the first response: what a cold invoke costs end to end (sandbox creation aside). */
  readonly wholeMs: number;
  readonly warmInvokeMs: number;
  readonly peakRssBytes: number;
}

function ricEntry(): string | undefined {
  const override = process.env[RIC_OVERRIDE];
  if (override !== undefined && existsSync(override)) return override;
  try {
    return createRequire(join(import.meta.dirname, '..', '..', 'package.json')).resolve(
      RIC_PACKAGE,
    );
  } catch {
    return undefined;
  }
}

/** Peak RSS of a live process (VmHWM), Linux only. */
function peakRss(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
  } catch {
    return Number.NaN;
  }
}

function sweepMs(body: unknown): number {
  return Number((body as { durationMs?: unknown }).durationMs ?? Number.NaN);
}

/** One fresh node process running the client and the bundle, as Lambda starts the function. */
async function underRic(
  ric: string,
  bundle: Bundle,
  env: Record<string, string>,
): Promise<Invoked> {
  const events = Array.from({ length: 1 + WARM_INVOKES }, () => EVENT);
  const name = 'status-sweep-bench';
  const api = await startRuntimeApi(
    events,
    `arn:aws:lambda:eu-west-1:000000000000:function:${name}`,
  );
  const started = performance.now();
  const child = spawn(process.execPath, [...BOOTSTRAP_FLAGS, ...LAMBDA_128_FLAGS, ric], {
    env: childEnv({
      ...env,
      AWS_LAMBDA_RUNTIME_API: api.address,
      LAMBDA_TASK_ROOT: dirname(bundle.module),
      _HANDLER: `${basename(bundle.module, '.mjs')}.handler`,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_MB),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/03/[$LATEST]bench',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  child.on('exit', (code) => api.fail(new Error(`runtime exited with ${code}: ${stderr}`)));
  try {
    const initAt = await api.initDone;
    const [first, ...warm] = await api.invokes;
    if (first?.outcome !== 'response' || (first.body as { complete?: unknown }).complete !== true) {
      throw new Error(`the first invoke answered ${JSON.stringify(first?.body).slice(0, 500)}`);
    }
    return {
      initMs: initAt - started,
      firstInvokeMs: first.answeredAt - first.sentAt,
      firstSweepMs: sweepMs(first.body),
      wholeMs: first.answeredAt - started,
      warmInvokeMs: median(warm.map((w) => w.answeredAt - w.sentAt)),
      peakRssBytes: peakRss(child),
    };
  } finally {
    child.removeAllListeners('exit');
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await api.close();
  }
}

/** Item 14 (issue 27's target 4): the whole cold invoke of the deployed asset under the runtime interface client. */
export async function lambdaInvoke(ctx: BenchContext): Promise<Section> {
  const title = '14. The whole cold invoke as Lambda runs it';
  const ric = ricEntry();
  if (ric === undefined) {
    return {
      title,
      body: `Not run: the runtime interface client (\`${RIC_PACKAGE}\`) is not installed (or name its index.mjs in ${RIC_OVERRIDE}).`,
      targets: [
        {
          what: '14. cold invoke under the runtime interface client',
          measured: 'not run',
          target: 'reported',
          met: false,
        },
      ],
    };
  }
  const { deployed } = await ctx.bundles();
  const env = {
    ...deployed.environment,
    ...LOOPBACK_AWS_ENV,
    TARGET_URL_TEMPLATE: template(ctx, LATENCY_MS),
    AWS_ENDPOINT_URL_CLOUDWATCH: ctx.cloudwatchUrl,
  };
  const variants: Variant<Invoked>[] = [
    { name: 'ric', run: () => underRic(ric, deployed, env) },
    {
      name: 'direct',
      run: async () => {
        const { result: r } = await runFresh<ColdResult>(
          workerPath('cold'),
          [deployed.module, JSON.stringify(EVENT), String(WARM_INVOKES)],
          { env, nodeArgs: [...BOOTSTRAP_FLAGS, ...LAMBDA_128_FLAGS] },
        );
        if (r.firstComplete !== true) throw new Error('the direct invoke did not complete');
        return {
          initMs: r.sinceStartMs,
          firstInvokeMs: r.firstInvokeMs ?? Number.NaN,
          firstSweepMs: Number(r.firstSweepMs ?? Number.NaN),
          wholeMs: r.sinceStartMs + (r.firstInvokeMs ?? Number.NaN),
          warmInvokeMs: median(r.warmInvokeMs ?? []),
          peakRssBytes: r.maxRssBytes ?? Number.NaN,
        };
      },
    },
  ];
  const reps = ctx.quick ? 2 : 7;
  ctx.log(
    `lambda invoke: ${reps} interleaved rounds, the runtime interface client against a direct import`,
  );
  const runs = await interleaved(variants, reps, 1);
  const of = (name: string, pick: (r: Invoked) => number) => (runs.get(name) ?? []).map(pick);
  const cell = (name: string, pick: (r: Invoked) => number, f: (v: number) => string = fmt.ms) =>
    withRange(of(name, pick), f);
  const share = (r: Invoked) => r.initMs / r.wholeMs;
  const outside = (r: Invoked) => r.firstInvokeMs - r.firstSweepMs;
  const rows: [string, (r: Invoked) => number, ((v: number) => string)?][] = [
    ['INIT: process start → first `next` (node, client, handler import)', (r) => r.initMs],
    ['first invoke: event out → response in', (r) => r.firstInvokeMs],
    ['the sweep’s own `durationMs`', (r) => r.firstSweepMs],
    ['first invoke outside the sweep (parse, verdict, metrics, log)', outside],
    ['whole cold invoke: process start → first response', (r) => r.wholeMs],
    ['INIT share of the whole cold invoke', share, fmt.share],
    ['whole cold invoke / the sweep’s own duration', (r) => r.wholeMs / r.firstSweepMs, fmt.x],
    [`warm invoke (median of ${WARM_INVOKES} per process)`, (r) => r.warmInvokeMs],
    ['peak RSS of the process', (r) => r.peakRssBytes, fmt.mb],
  ];
  const ricShares = of('ric', share);
  return {
    title,
    body: [
      `The deployed asset (cdk synth’s bundle, its environment, metrics to the loopback CloudWatch) run by \`${RIC_PACKAGE}\`,`,
      'the client the nodejs runtimes run, in a fresh node process started as the runtime’s bootstrap starts it for',
      `${MEMORY_MB} MB (${[...BOOTSTRAP_FLAGS, ...LAMBDA_128_FLAGS].join(' ')}, plus the function’s NODE_OPTIONS), against a loopback Lambda Runtime API`,
      `(bench/lib/runtime-api.ts). Each process gets ${EVENT.end} ids at ${LATENCY_MS} ms (all in flight, as item 1), then ${WARM_INVOKES} more. INIT ends when the`,
      'client first asks for an event, as Lambda’s Init Duration does (sandbox creation and the freeze are not modelled).',
      `“Direct” is item 2’s harness (bench/workers/cold.ts: import, call) with the same flags; its INIT is node’s start-up and the import.`,
      `Medians of ${reps} interleaved rounds with the run-to-run range.`,
      '',
      table(
        ['', 'runtime interface client', 'direct import and call'],
        rows.map(([label, pick, f]) => [label, cell('ric', pick, f), cell('direct', pick, f)]),
      ),
    ].join('\n'),
    targets: [
      {
        what: '14. INIT share of a cold invoke under the runtime interface client (reported)',
        measured: `${fmt.share(median(ricShares))} (${range(ricShares, fmt.share)}) of ${fmt.ms(median(of('ric', (r) => r.wholeMs)))}`,
        target: 'reported beside the sweep’s own duration',
        met: ricShares.every(Number.isFinite),
      },
    ],
  };
}
