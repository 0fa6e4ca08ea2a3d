import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { Bundle } from './deployed.js';
import { childEnv } from './procs.js';
import { startRuntimeApi } from './runtime-api.js';
import { median } from './stats.js';

/**
 * The deployed asset under the runtime interface client, as Lambda starts a function: one fresh
 * node process per call, talking to a loopback Runtime API (runtime-api.ts). Bench item 14.
 */
export const MEMORY_MB = 128;
/** One process's INIT and invokes take about 2 s here; this bounds a hung client. */
const GUARD_MS = 60_000;
/** The package the nodejs runtimes run as /var/runtime/index.mjs. */
export const RIC_PACKAGE = 'aws-lambda-ric';
/** Names another copy of the runtime interface client's entry (index.mjs), e.g. one not yet in package.json. */
export const RIC_OVERRIDE = 'BENCH_LAMBDA_RIC';
/**
 * What the nodejs runtime's bootstrap passes to node besides the memory flags (derived from the
 * function's memory, LAMBDA_128_FLAGS for 128 MB); the function's NODE_OPTIONS come on top.
 */
export const BOOTSTRAP_FLAGS = ['--expose-gc', '--max-http-header-size=81920'] as const;

export interface Invoked {
  /** Spawn → the runtime's first `next`: node's start, the client's load, the handler's import. */
  readonly initMs: number;
  readonly firstInvokeMs: number;
  readonly firstSweepMs: number;
  /** Spawn → the first response: what a cold invoke costs end to end (sandbox creation aside). */
  readonly wholeMs: number;
  readonly warmInvokeMs: number;
  readonly peakRssBytes: number;
}

/** The client's entry: the override's, else the package's as the project resolves it. */
export function ricEntry(): string | undefined {
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

/** One fresh node process running the client and the bundle, given `events` one after another. */
export async function underRic(
  ric: string,
  bundle: Bundle,
  env: Record<string, string>,
  events: readonly unknown[],
  /** Node's flags: BOOTSTRAP_FLAGS and the memory flags of the function's size. */
  nodeArgs: readonly string[],
): Promise<Invoked> {
  const name = 'status-sweep-bench';
  const api = await startRuntimeApi(
    events,
    `arn:aws:lambda:eu-west-1:000000000000:function:${name}`,
  );
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ric], {
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
  // A client that never asks or never answers fails the item instead of holding the bench.
  const guard = setTimeout(
    () => api.fail(new Error(`no answer within ${GUARD_MS} ms: ${stderr}`)),
    GUARD_MS,
  );
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
    clearTimeout(guard);
    child.removeAllListeners('exit');
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await api.close();
  }
}
