import { workerPath } from '../lib/build.js';
import { type Bundle, deployedEnv } from '../lib/deployed.js';
import { runFresh } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, interleaved, median, range, type Variant, withRange } from '../lib/stats.js';
import type { ColdResult } from '../workers/cold.js';
import type { UndiciColdResult } from '../workers/undici-cold.js';
import type { ConnectionTally, Protocol } from '../workers/upstream.js';
import { type BenchContext, template } from './context.js';

/** The seed's ~0.41 s per PokéAPI request. */
const LATENCY_MS = 400;
const IDS = 100;
/** Issue 27's cold speed-up targets (issue 14 asked 95x of both; plain HTTP has none). */
const COLD_SPEEDUP_TARGETS: Partial<Record<Protocol, number>> = { h1: 85, h2: 93 };
/** Warm invokes after the first in each fresh process. */
export const WARM_INVOKES = 3;
export const PROTOCOLS: readonly { name: Protocol; label: string }[] = [
  { name: 'http', label: 'HTTP/1.1, plain' },
  { name: 'h1', label: 'HTTPS, HTTP/1.1' },
  { name: 'h2', label: 'HTTPS, HTTP/2' },
];

export interface ColdWarmRun {
  readonly result: ColdResult;
  /** Connections the upstream accepted during the process (TLS: handshakes). */
  readonly serverConnections: number;
}

export interface SeedRuns {
  readonly reps: number;
  /** Fresh processes of the deployed bundle: a 100-id invoke, then WARM_INVOKES more. */
  readonly fresh: Map<string, ColdWarmRun[]>;
  /** Fresh processes of bare undici (bench/workers/undici-cold.ts), interleaved with `fresh`. */
  readonly bare: Map<string, UndiciColdResult[]>;
  /** One-by-one time for 100 ids (measured, or scaled from fewer ids in --quick). */
  readonly oneByOne: Map<string, { ms: number; ids: number }>;
}

export function targetOf(ctx: BenchContext, protocol: Protocol): string {
  return protocol === 'http' ? template(ctx, LATENCY_MS) : ctx.tls.tlsTemplates[protocol];
}

/** One fresh node process running the deployed bundle against `protocol`'s upstream. */
export async function freshInvokes(
  ctx: BenchContext,
  bundle: Bundle,
  protocol: Protocol,
  event: object,
  warm: number,
): Promise<ColdWarmRun> {
  const before = await ctx.upstream.call<ConnectionTally>({ kind: 'connections' });
  const { result } = await runFresh<ColdResult>(
    workerPath('cold'),
    [bundle.module, JSON.stringify(event), String(warm)],
    {
      env: deployedEnv(bundle, targetOf(ctx, protocol), {
        NODE_EXTRA_CA_CERTS: ctx.tls.caFile,
        MAX_CONCURRENCY: '256',
      }),
    },
  );
  if (result.firstComplete !== true) throw new Error(`${protocol}: the sweep did not complete`);
  const after = await ctx.upstream.call<ConnectionTally>({ kind: 'connections' });
  return { result, serverConnections: after[protocol] - before[protocol] };
}

/** One fresh process of bare undici: IDS requests at once, then WARM_INVOKES more sweeps. */
export async function bareUndici(
  ctx: BenchContext,
  protocol: Protocol,
  warm: number,
): Promise<UndiciColdResult> {
  const { result } = await runFresh<UndiciColdResult>(
    workerPath('undici-cold'),
    [targetOf(ctx, protocol), String(IDS), String(warm), protocol],
    { env: { NODE_EXTRA_CA_CERTS: ctx.tls.caFile } },
  );
  return result;
}

/**
 * Items 1 and 2 share these runs: cold and warm in the same fresh processes, the engine's and
 * bare undici's interleaved.
 */
export function seedRuns(ctx: BenchContext): Promise<SeedRuns> {
  return ctx.shared('seed-runs', async () => {
    const { deployed } = await ctx.bundles();
    const reps = ctx.quick ? 3 : 7;
    const event = { start: 1, end: IDS, concurrency: IDS, retries: 0 };
    const variants: Variant<ColdWarmRun | UndiciColdResult>[] = PROTOCOLS.flatMap(({ name }) => [
      { name, run: () => freshInvokes(ctx, deployed, name, event, WARM_INVOKES) },
      { name: `undici/${name}`, run: () => bareUndici(ctx, name, WARM_INVOKES) },
    ]);
    ctx.log(
      `seed: ${reps} interleaved rounds of fresh processes, engine and bare undici (cold + ${WARM_INVOKES} warm)`,
    );
    const runs = await interleaved(variants, reps, 1);
    const fresh = new Map(
      PROTOCOLS.map(({ name }) => [name, (runs.get(name) ?? []) as ColdWarmRun[]]),
    );
    const bare = new Map(
      PROTOCOLS.map(({ name }) => [name, (runs.get(`undici/${name}`) ?? []) as UndiciColdResult[]]),
    );
    // One by one, 100 ids take 40 s: once per protocol; --quick scales 10 ids up.
    const seqIds = ctx.quick ? 10 : IDS;
    const oneByOne = new Map<string, { ms: number; ids: number }>();
    for (const { name } of PROTOCOLS) {
      ctx.log(`seed: ${seqIds} ids one by one over ${name}`);
      const run = await freshInvokes(
        ctx,
        deployed,
        name,
        { start: 1, end: seqIds, concurrency: 1, retries: 0 },
        0,
      );
      oneByOne.set(name, { ms: ((run.result.firstInvokeMs ?? 0) * IDS) / seqIds, ids: seqIds });
    }
    return { reps, fresh, bare, oneByOne };
  });
}

export const firstMs = (r: ColdWarmRun) => r.result.firstInvokeMs ?? Number.NaN;
export const warmMs = (r: ColdWarmRun) => median(r.result.warmInvokeMs ?? []);

/** Item 1: the seed's table over HTTPS through the deployed bundle, cold and warm. */
export async function seedTls(ctx: BenchContext): Promise<Section> {
  const { reps, fresh, oneByOne } = await seedRuns(ctx);
  const rows: string[][] = [];
  const targets = [];
  for (const { name, label } of PROTOCOLS) {
    const runs = fresh.get(name) ?? [];
    const seq = oneByOne.get(name)?.ms ?? Number.NaN;
    const cold = runs.map((r) => seq / firstMs(r));
    const warm = runs.map((r) => seq / warmMs(r));
    const handshakes = (pick: (r: ColdWarmRun) => number) => fmt.int(median(runs.map(pick)));
    rows.push([
      label,
      fmt.ms(seq),
      withRange(runs.map(firstMs), fmt.ms),
      withRange(cold, fmt.x),
      withRange(runs.map(warmMs), fmt.ms),
      withRange(warm, fmt.x),
      name === 'http' ? '–' : handshakes((r) => r.result.firstConnections ?? Number.NaN),
      name === 'http' ? '–' : handshakes((r) => median(r.result.warmConnections ?? [])),
      name === 'http' ? '–' : handshakes((r) => r.serverConnections),
    ]);
    const goal = COLD_SPEEDUP_TARGETS[name];
    if (goal !== undefined) {
      targets.push({
        what: `1. cold speed-up, 100 ids at 400 ms, ${label}`,
        measured: `${fmt.x(median(cold))} (${range(cold, fmt.x)})`,
        target: `≥ ${goal}x`,
        met: median(cold) >= goal,
      });
    }
  }
  const seqNote = ctx.quick
    ? `one by one: ${oneByOne.get('h1')?.ids} ids, scaled to 100 (--quick)`
    : 'one by one: one fresh process per protocol (40 s each)';
  return {
    title: '1. The seed’s table over HTTPS, through the deployed bundle, cold and warm',
    body: [
      `The deployed bundle (synthesized by infra’s SweepFunction, as cdk synth makes it) in a fresh`,
      `node process per run: a direct invoke of ${IDS} ids at concurrency ${IDS} (cold: the first`,
      `invoke of the process), then ${WARM_INVOKES} more (warm). The upstreams answer after exactly ${LATENCY_MS} ms;`,
      'the HTTPS ones use certificates from a test CA the process trusts through NODE_EXTRA_CA_CERTS.',
      `Medians of ${reps} interleaved rounds, run-to-run range (min–max) in brackets; ${seqNote}.`,
      'Connections are counted by undici (diagnostics channel) per invoke, and by the server',
      '(`secureConnection`) over the whole process.',
      '',
      table(
        [
          'transport',
          'one by one',
          'cold 100',
          'cold speed-up',
          'warm 100',
          'warm speed-up',
          'handshakes, cold invoke',
          'warm invoke',
          'server-side, per process',
        ],
        rows,
      ),
    ].join('\n'),
    targets,
  };
}
