/**
 * The client process being measured: the engine and the baselines it is compared with, each
 * run with the same bounded concurrency against the same upstream. Pools persist across jobs,
 * as they do in a warm Lambda.
 */
import { Agent, request as httpGet } from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';
import { Pool, request } from 'undici';
import { loadConfig } from '../../lambda/ground/config.js';
import { publishMetrics } from '../../lambda/metrics/publish.js';
import { newPool, sweep } from '../../lambda/sweep/index.js';
import { compileExpectations } from '../../lambda/verdict/expectations.js';
import { judge } from '../../lambda/verdict/verdict.js';
import { serveJobs } from '../lib/procs.js';

export type ClientKind = 'engine' | 'undici' | 'fetch' | 'http';

export type ClientJob =
  | {
      kind: ClientKind;
      template: string;
      n: number;
      concurrency: number;
      /** engine and undici: a new pool for this job, closed after it (no warm connections). */
      freshPool?: boolean;
    }
  | { kind: 'rate-limited'; template: string; n: number; concurrency: number }
  | {
      kind: 'publish';
      mode: 'cloudwatch' | 'emf';
      template: string;
      n: number;
      concurrency: number;
    };

export interface ClientResult {
  readonly ms: number;
  /** CPU time (user + system) of this process during the job. */
  readonly cpuMs: number;
  /** Responses that arrived (any status). */
  readonly answered: number;
  /** Time V8 spent in garbage collection during the job (perf_hooks 'gc' entries). */
  readonly gcMs: number;
}

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

export interface PublishResult {
  readonly sweepMs: number;
  readonly publishMs: number;
  readonly status: string;
  readonly requests: number;
  readonly datums: number;
  /** EMF bytes written to stdout (emf mode). */
  readonly emfBytes: number;
  readonly emfLines: number;
}

const undiciPools = new Map<string, Pool>();
const httpAgents = new Map<number, Agent>();

/** C workers take the next id until none is left: the same shape as the engine's loop. */
async function bounded(n: number, concurrency: number, one: (id: number) => Promise<void>) {
  let next = 1;
  const worker = async () => {
    while (next <= n) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
}

async function runClient(job: Extract<ClientJob, { kind: ClientKind }>): Promise<ClientResult> {
  const { template, n, concurrency } = job;
  const urlOf = (id: number) => template.replace('{id}', String(id));
  const origin = new URL(urlOf(1)).origin;
  let answered = 0;
  /** A fresh pool's close, begun when its sweep is done and awaited after the clock stops. */
  let closing: Promise<void> | undefined;
  const gcBefore = gcMs;
  const cpu = process.cpuUsage();
  const started = performance.now();
  switch (job.kind) {
    case 'engine': {
      const pool = job.freshPool ? newPool(origin, concurrency) : undefined;
      const result = await sweep({
        range: { start: 1, end: n },
        urlTemplate: template,
        concurrency,
        timeoutMs: 10_000,
        retries: 0,
        ...(pool && { pool }),
      });
      answered = Object.values(result.statuses).reduce((a, b) => a + b, 0);
      closing = pool?.close();
      break;
    }
    case 'undici': {
      const key = `${origin} ${concurrency}`;
      const pool = job.freshPool
        ? new Pool(origin, { connections: concurrency })
        : (undiciPools.get(key) ?? new Pool(origin, { connections: concurrency }));
      if (!job.freshPool) undiciPools.set(key, pool);
      await bounded(n, concurrency, async (id) => {
        const { body } = await request(urlOf(id), { dispatcher: pool });
        await body.dump();
        answered++;
      });
      if (job.freshPool) closing = pool.close();
      break;
    }
    case 'fetch':
      await bounded(n, concurrency, async (id) => {
        const response = await fetch(urlOf(id));
        await response.arrayBuffer();
        answered++;
      });
      break;
    case 'http': {
      const agent =
        httpAgents.get(concurrency) ?? new Agent({ keepAlive: true, maxSockets: concurrency });
      httpAgents.set(concurrency, agent);
      await bounded(n, concurrency, (id) =>
        getWithAgent(urlOf(id), agent).then(() => void answered++),
      );
      break;
    }
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await closing;
  // GC entries are delivered on a later tick: let them arrive before reading the sum.
  await new Promise((resolve) => setImmediate(resolve));
  return { ms, cpuMs: (used.user + used.system) / 1000, answered, gcMs: gcMs - gcBefore };
}

function getWithAgent(url: string, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent }, (res) => {
      res.on('end', resolve).on('error', reject).resume();
    })
      .on('error', reject)
      .end();
  });
}

export interface RateLimitedResult {
  readonly ms: number;
  readonly ok: number;
  readonly attempts: number;
  readonly pauses: number;
}

/** A sweep with the request defaults (2 retries) against a rate-limited origin (item 12). */
async function runRateLimited(
  job: Extract<ClientJob, { kind: 'rate-limited' }>,
): Promise<RateLimitedResult> {
  const result = await sweep({
    range: { start: 1, end: job.n },
    urlTemplate: job.template,
    concurrency: job.concurrency,
    timeoutMs: 10_000,
    retries: 2,
  });
  return {
    ms: result.endedAt - result.startedAt,
    ok: result.statuses['200'] ?? 0,
    attempts: result.attempts,
    pauses: result.throttlePauses,
  };
}

/** A sweep, then its metrics published as the given mode; EMF goes to a byte counter. */
async function runPublish(job: Extract<ClientJob, { kind: 'publish' }>): Promise<PublishResult> {
  const config = loadConfig({
    TARGET_URL_TEMPLATE: job.template,
    TARGET_NAME: 'bench',
    METRICS_MODE: job.mode,
  });
  const sweepStarted = performance.now();
  const aggregate = await sweep({
    range: { start: 1, end: job.n },
    urlTemplate: job.template,
    concurrency: job.concurrency,
    timeoutMs: 10_000,
    retries: 0,
  });
  const sweepMs = performance.now() - sweepStarted;
  let emfBytes = 0;
  let emfLines = 0;
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    emfBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    emfLines++;
    return true;
  }) as typeof process.stdout.write;
  const started = performance.now();
  try {
    const verdict = judge(aggregate, compileExpectations(config.expect), config.verdict);
    const report = await publishMetrics(aggregate, verdict, {
      config,
      deadline: Date.now() + 30_000,
    });
    const publishMs = performance.now() - started;
    const { status, requests, datums } = report;
    return { sweepMs, publishMs, status, requests, datums, emfBytes, emfLines };
  } finally {
    process.stdout.write = write;
  }
}

export interface ClientHello {
  /** The undici inside Node, behind global fetch. */
  readonly bundledUndici: string | undefined;
}

serveJobs(
  (job: ClientJob) => {
    if (job.kind === 'publish') return runPublish(job);
    if (job.kind === 'rate-limited') return runRateLimited(job);
    return runClient(job);
  },
  {
    bundledUndici: process.versions.undici,
  } satisfies ClientHello,
);
