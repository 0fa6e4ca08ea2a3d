import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aiohttpSweeps, ensureTools, wrk } from '../lib/external.js';
import { Worker } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, interleaved, median, range, type Variant, withRange } from '../lib/stats.js';
import type { ClientHello, ClientKind, ClientResult } from '../workers/client.js';
import { type BenchContext, template } from './context.js';

export const N = 20_000;
export const CONCURRENCY = 64;
/** The engine may use at most this much CPU per request against wrk's. */
const TARGET_VS_WRK = 1.5;

export type Kind = ClientKind | 'aiohttp' | 'wrk';
export const KINDS: readonly { kind: Kind; label: string }[] = [
  { kind: 'engine', label: 'engine: sweep()' },
  { kind: 'undici', label: 'bare undici.request loop (Pool, body.dump())' },
  { kind: 'fetch', label: 'global fetch (Node’s bundled undici)' },
  { kind: 'http', label: 'node:http, keep-alive Agent' },
  { kind: 'aiohttp', label: 'the seed’s tool: Python aiohttp, gather + semaphore' },
  { kind: 'wrk', label: 'wrk (C, one thread, 64 connections, 2 s)' },
];

export interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly requests: number;
  readonly gcMs?: number;
}

export interface ThroughputRuns {
  readonly reps: number;
  readonly samples: Map<string, Sample[]>;
  readonly missing: readonly string[];
  readonly bundledUndici?: string;
  readonly aiohttpVersion?: string;
}

/**
 * Items 3, 5 and 6 share these rounds: 20,000 requests at 64 in flight on the zero-latency
 * upstream, every client in a process of its own (long-lived and warmed up, as a warm Lambda),
 * interleaved in a rotating order.
 */
export function throughputRuns(ctx: BenchContext): Promise<ThroughputRuns> {
  return ctx.shared('throughput', async () => {
    const tools = await ensureTools(ctx.log);
    const target = template(ctx, 0);
    const reps = ctx.quick ? 2 : 5;
    const workers = new Map<ClientKind, Worker>();
    let bundledUndici: string | undefined;
    let aiohttpVersion: string | undefined;
    const node = (kind: ClientKind): Variant<Sample> => ({
      name: kind,
      run: async () => {
        let worker = workers.get(kind);
        if (!worker) {
          const started = await Worker.start('client');
          worker = started.worker;
          bundledUndici = (started.hello as ClientHello).bundledUndici;
          workers.set(kind, worker);
        }
        const r = await worker.call<ClientResult>({
          kind,
          template: target,
          n: N,
          concurrency: CONCURRENCY,
        });
        if (r.answered !== N) throw new Error(`${kind}: ${r.answered} of ${N} answered`);
        return { ms: r.ms, cpuMs: r.cpuMs, requests: N, gcMs: r.gcMs };
      },
    });
    const variants: Variant<Sample>[] = (['engine', 'undici', 'fetch', 'http'] as const).map(node);
    if (tools.aiohttp) {
      variants.push({
        name: 'aiohttp',
        run: async () => {
          // A fresh process whose first sweep warms it up; the second is measured.
          const out = await aiohttpSweeps(target, N, CONCURRENCY, 1);
          aiohttpVersion = out.aiohttp;
          const [warm] = out.warm;
          if (warm?.answered !== N) throw new Error(`aiohttp: ${warm?.answered} answered`);
          return { ms: warm.ms, cpuMs: warm.cpuMs, requests: N };
        },
      });
    }
    if (tools.wrk) {
      variants.push({
        name: 'wrk',
        run: async () => {
          const r = await wrk(target, N, CONCURRENCY, 2);
          return { ms: r.ms, cpuMs: r.cpuMs, requests: r.requests };
        },
      });
    }
    ctx.log(`throughput: ${variants.length} clients, warm-up and ${reps} interleaved rounds`);
    try {
      const samples = await interleaved(variants, reps, 1);
      const missing = [...(tools.aiohttp ? [] : ['aiohttp']), ...(tools.wrk ? [] : ['wrk'])];
      return { reps, samples, missing, bundledUndici, aiohttpVersion };
    } finally {
      for (const w of workers.values()) await w.stop();
    }
  });
}

export const cpuUs = (s: Sample) => (s.cpuMs * 1000) / s.requests;
export const perSecond = (s: Sample) => (s.requests / s.ms) * 1000;

/** Item 3: client CPU per request at 64 in flight, against wrk, with the GC share. */
export async function clientCpu(ctx: BenchContext): Promise<Section> {
  const { reps, samples, missing, bundledUndici } = await throughputRuns(ctx);
  const of = (kind: string) => samples.get(kind) ?? [];
  const rows = KINDS.filter(({ kind }) => samples.has(kind)).map(({ kind, label }) => {
    const s = of(kind);
    const gc = s.every((x) => x.gcMs !== undefined)
      ? withRange(
          s.map((x) => (x.gcMs ?? 0) / x.cpuMs),
          fmt.share,
        )
      : '–';
    return [
      label,
      withRange(s.map(perSecond), (v) => fmt.int(Math.round(v))),
      withRange(s.map(cpuUs), (v) => v.toFixed(1)),
      gc,
    ];
  });
  const engineCpu = median(of('engine').map(cpuUs));
  const wrkCpu = median(of('wrk').map(cpuUs));
  // Ratios per round pair the engine's and wrk's runs of the same round.
  const pairs = of('engine').map((e, i) => cpuUs(e) / cpuUs(of('wrk')[i] ?? e));
  const vsWrk = engineCpu / wrkCpu;
  return {
    title: `3. Client CPU per request: ${fmt.int(N)} requests, ${CONCURRENCY} in flight, zero-latency upstream`,
    body: [
      `Each client in a process of its own (node clients long-lived and warmed up, aiohttp a fresh`,
      'python process measured on its second sweep, wrk a fresh process per round), interleaved in',
      `a rotating order; medians of ${reps} rounds, run-to-run range in brackets. CPU is the client`,
      'process’s own (user + system): on two cores the upstream competes for the same CPU, so',
      'requests/s says less than CPU per request. GC share: V8’s GC pauses (perf_hooks) over that CPU.',
      '',
      table(['client', 'requests/s', 'client CPU µs/request', 'GC share of CPU'], rows),
      '',
      `The engine uses ${fmt.x(vsWrk)} wrk’s CPU per request (rounds: ${range(pairs, fmt.x)}).`,
    ].join('\n'),
    targets: missing.includes('wrk')
      ? []
      : [
          {
            what: '3. engine CPU per request vs wrk, 64 in flight',
            measured: `${fmt.x(vsWrk)} (${range(pairs, fmt.x)})`,
            target: `≤ ${TARGET_VS_WRK}x`,
            met: vsWrk <= TARGET_VS_WRK,
          },
        ],
    notes: [
      ...missing.map(
        (m) => `${m} is not installed here, so its row is skipped (README: Benchmarks).`,
      ),
      `global fetch runs on Node’s bundled undici ${bundledUndici}; the engine and the bare loop use undici ${installedUndici()} from package.json.`,
    ],
  };
}

function installedUndici(): string {
  const path = join(import.meta.dirname, '..', '..', 'node_modules', 'undici', 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}
