import { aiohttpSweeps, ensureTools } from '../lib/external.js';
import { type Section, table } from '../lib/report.js';
import { fmt, interleaved, median, range, type Variant, withRange } from '../lib/stats.js';
import type { BenchContext } from './context.js';
import { bareUndici, freshInvokes, targetOf } from './seed-tls.js';
import { CONCURRENCY, cpuUs, N, perSecond, throughputRuns } from './throughput.js';

const IDS = 100;
/** Issue 27: how far ahead of aiohttp the engine's cold 100-id sweep should be. */
const PROTOCOLS = [
  { name: 'h1', label: 'HTTPS, HTTP/1.1', coldTarget: 1.25 },
  { name: 'http', label: 'HTTP/1.1, plain', coldTarget: 1.05 },
] as const;

/** Item 5: the seed's own tool (aiohttp) against the engine, on the same upstreams. */
export async function aiohttpSideBySide(ctx: BenchContext): Promise<Section> {
  const tools = await ensureTools(ctx.log);
  const title = '5. The seed’s tool side by side: Python aiohttp';
  if (!tools.aiohttp) {
    return {
      title,
      body: 'Skipped: Debian’s python3-aiohttp is not installed for /usr/bin/python3 (README: Benchmarks says how to install it).',
      targets: [],
    };
  }
  const { deployed } = await ctx.bundles();
  const reps = ctx.quick ? 3 : 5;
  const event = { start: 1, end: IDS, concurrency: IDS, retries: 0 };
  const variants: Variant<number>[] = PROTOCOLS.flatMap(({ name }) => [
    {
      name: `engine/${name}`,
      run: async () =>
        (await freshInvokes(ctx, deployed, name, event, 0)).result.firstInvokeMs ?? Number.NaN,
    },
    {
      name: `undici/${name}`,
      run: async () => (await bareUndici(ctx, name, 0)).firstMs,
    },
    {
      name: `aiohttp/${name}`,
      run: async () => {
        const out = await aiohttpSweeps(
          targetOf(ctx, name),
          IDS,
          IDS,
          0,
          name === 'h1' ? ctx.tls.caFile : undefined,
        );
        if (out.first.answered !== IDS) throw new Error(`aiohttp: ${out.first.answered} answered`);
        return out.first.ms;
      },
    },
  ]);
  ctx.log(`aiohttp: ${reps} interleaved rounds of cold processes`);
  const cold = await interleaved(variants, reps, 1);
  const { samples, aiohttpVersion } = await throughputRuns(ctx);
  const of = (name: string) => cold.get(name) ?? [];
  const rows: string[][] = [];
  const targets = [];
  for (const { name, label, coldTarget } of PROTOCOLS) {
    const ratios = of(`aiohttp/${name}`).map((a, i) => a / (of(`engine/${name}`)[i] ?? a));
    const ratio = median(of(`aiohttp/${name}`)) / median(of(`engine/${name}`));
    const undiciRatios = of(`aiohttp/${name}`).map((a, i) => a / (of(`undici/${name}`)[i] ?? a));
    const undiciRatio = median(of(`aiohttp/${name}`)) / median(of(`undici/${name}`));
    rows.push([
      `cold process, ${IDS} ids at 400 ms, ${label}: time`,
      withRange(of(`engine/${name}`), fmt.ms),
      withRange(of(`aiohttp/${name}`), fmt.ms),
      `${fmt.x(ratio)} (${range(ratios, fmt.x)})`,
      `${withRange(of(`undici/${name}`), fmt.ms)}: ${fmt.x(undiciRatio)} (${range(undiciRatios, fmt.x)})`,
    ]);
    targets.push({
      what: `5. engine ahead of aiohttp: cold ${IDS} ids, ${label}`,
      measured: `${fmt.x(ratio)} (${range(ratios, fmt.x)})`,
      target: `≥ ${coldTarget}x`,
      met: ratio >= coldTarget,
    });
  }
  const engine = samples.get('engine') ?? [];
  const aio = samples.get('aiohttp') ?? [];
  const speed = median(engine.map(perSecond)) / median(aio.map(perSecond));
  const cpu = median(aio.map(cpuUs)) / median(engine.map(cpuUs));
  const speedPairs = engine.map((e, i) => perSecond(e) / perSecond(aio[i] ?? e));
  const cpuPairs = engine.map((e, i) => cpuUs(aio[i] ?? e) / cpuUs(e));
  rows.push(
    [
      `${fmt.int(N)} requests, ${CONCURRENCY} in flight, zero latency: requests/s`,
      withRange(engine.map(perSecond), (v) => fmt.int(Math.round(v))),
      withRange(aio.map(perSecond), (v) => fmt.int(Math.round(v))),
      `${fmt.x(speed)} (${range(speedPairs, fmt.x)})`,
      '–',
    ],
    [
      'the same: client CPU µs per request',
      withRange(engine.map(cpuUs), (v) => v.toFixed(1)),
      withRange(aio.map(cpuUs), (v) => v.toFixed(1)),
      `${fmt.x(cpu)} (${range(cpuPairs, fmt.x)})`,
      '–',
    ],
  );
  targets.push(
    {
      what: `5. engine ahead of aiohttp: ${fmt.int(N)} requests at ${CONCURRENCY}, requests/s`,
      measured: `${fmt.x(speed)} (${range(speedPairs, fmt.x)})`,
      target: '> 1x',
      met: speed > 1,
    },
    {
      what: `5. engine ahead of aiohttp: ${fmt.int(N)} requests at ${CONCURRENCY}, CPU per request`,
      measured: `${fmt.x(cpu)} (${range(cpuPairs, fmt.x)})`,
      target: '> 1x',
      met: cpu > 1,
    },
  );
  return {
    title,
    body: [
      `aiohttp ${aiohttpVersion ?? ''} (Debian’s python3-aiohttp, /usr/bin/python3) running bench/aiohttp/sweep.py: the seed’s`,
      'shape, one ClientSession, every id gathered at once behind a semaphore, each body read.',
      `Cold rows: a fresh process each, ${reps} interleaved rounds, both timing the same span: from after`,
      'the imports to the last answer, the client built inside it (the engine: its first invoke, which',
      'creates its pool and TLS context, parses the request and writes the verdict and log line, metrics',
      'off; aiohttp: SSL context, connector and session, then its first sweep). Neither times the',
      `interpreter’s start or imports (items 7 and 9 do). Throughput rows: item 3’s rounds. Ratio = how far the engine is ahead`,
      '(above 1x: the engine is faster or uses less CPU), with the range over rounds. The last column',
      'is bare undici in fresh processes interleaved with both (bench/workers/undici-cold.ts: a Pool',
      'made inside the clock, the ids at once, bodies dumped, no engine code) and how far it is ahead',
      'of aiohttp: the floor the library itself sets under the engine’s cold rows.',
      '',
      table(
        ['row', 'engine', 'aiohttp', 'engine ahead by', 'bare undici: ahead of aiohttp by'],
        rows,
      ),
    ].join('\n'),
    targets,
  };
}
