import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, interleaved, median, type Variant } from '../lib/stats.js';
import type { ClientHello, ClientKind, ClientResult } from '../workers/client.js';
import { type BenchContext, template } from './context.js';

const N = 20_000;
const CONCURRENCY = 64;
const KINDS: readonly { kind: ClientKind; label: string }[] = [
  { kind: 'engine', label: 'engine: sweep()' },
  { kind: 'undici', label: 'bare undici.request loop (Pool, body.dump())' },
  { kind: 'fetch', label: 'global fetch (Node’s bundled undici)' },
  { kind: 'http', label: 'node:http, keep-alive Agent' },
];

/** Item 3: client cost per request on a zero-latency upstream, same bounded concurrency. */
export async function clientThroughput(ctx: BenchContext): Promise<Section> {
  const { worker, hello } = await Worker.start('client');
  const { bundledUndici } = hello as ClientHello;
  const reps = ctx.quick ? 2 : 5;
  const variants: Variant<ClientResult>[] = KINDS.map(({ kind }) => ({
    name: kind,
    run: async () => {
      const result = await worker.call<ClientResult>({
        kind,
        template: template(ctx, 0),
        n: N,
        concurrency: CONCURRENCY,
      });
      if (result.answered !== N) throw new Error(`${kind}: ${result.answered} of ${N} answered`);
      return result;
    },
  }));
  let results: Map<string, ClientResult[]>;
  try {
    ctx.log(`throughput: warm-up and ${reps} interleaved rounds`);
    results = await interleaved(variants, reps, 1);
  } finally {
    await worker.stop();
  }
  const ms = (kind: ClientKind) => median((results.get(kind) ?? []).map((r) => r.ms));
  const cpuUs = (kind: ClientKind) =>
    (median((results.get(kind) ?? []).map((r) => r.cpuMs)) * 1000) / N;
  const engine = ms('engine');
  const rows = KINDS.map(({ kind, label }) => [
    label,
    fmt.ms(ms(kind)),
    fmt.int(Math.round((N / ms(kind)) * 1000)),
    cpuUs(kind).toFixed(1),
    fmt.x(ms(kind) / engine),
  ]);
  const vsFetch = ms('fetch') / engine;
  const vsUndici = ms('undici') / engine;
  return {
    title: `3. Client throughput: ${fmt.int(N)} requests, concurrency ${CONCURRENCY}, zero-latency upstream`,
    body: [
      `Each client takes the next id from a shared counter in ${CONCURRENCY} loops, as the engine does, and`,
      `reads or discards every body; medians of ${reps} interleaved runs. The upstream process answers`,
      'at once, so on this 2-core machine client and server share the CPU: compare the ratios, and the',
      'client’s own CPU time per request.',
      '',
      table(
        ['client', 'time', 'requests/s', 'client CPU µs/request', 'engine speed-up over it'],
        rows,
      ),
    ].join('\n'),
    targets: [
      {
        what: '3. engine vs global fetch',
        measured: fmt.x(vsFetch),
        target: '≥ 3x',
        met: vsFetch >= 3,
      },
      {
        what: '3. engine vs bare undici.request',
        measured: fmt.x(vsUndici),
        target: '≥ 0.9x',
        met: vsUndici >= 0.9,
      },
    ],
    notes: [
      `global fetch runs on Node’s bundled undici ${bundledUndici}; the engine and the bare loop use undici ${installedUndici()} from package.json.`,
    ],
  };
}

function installedUndici(): string {
  const path = join(import.meta.dirname, '..', '..', 'node_modules', 'undici', 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}
