import { workerPath } from '../lib/build.js';
import { loopbackAws } from '../lib/deployed.js';
import { runFresh } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import {
  BOOTSTRAP_FLAGS,
  type Invoked,
  MEMORY_MB,
  RIC_OVERRIDE,
  RIC_PACKAGE,
  ricEntry,
  underRic,
} from '../lib/ric.js';
import { fmt, interleaved, median, range, type Variant, withRange } from '../lib/stats.js';
import type { ColdResult } from '../workers/cold.js';
import { type BenchContext, template } from './context.js';
import { LAMBDA_128_FLAGS } from './scale.js';

/** The cold row's sweep (item 1): 100 ids at 400 ms, all in flight. */
const LATENCY_MS = 400;
const EVENT = { start: 1, end: 100, concurrency: 100, retries: 0 } as const;
/** Invokes after the first in each fresh process. */
const WARM_INVOKES = 2;

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
  const transports = [
    { key: 'plain', label: 'HTTP/1.1, plain', target: template(ctx, LATENCY_MS), ca: {} },
    {
      key: 'h1',
      label: 'HTTPS, HTTP/1.1',
      target: ctx.tls.tlsTemplates.h1,
      ca: { NODE_EXTRA_CA_CERTS: ctx.tls.caFile },
    },
  ] as const;
  const events = Array.from({ length: 1 + WARM_INVOKES }, () => EVENT);
  const nodeArgs = [...BOOTSTRAP_FLAGS, ...LAMBDA_128_FLAGS];
  const variants: Variant<Invoked>[] = transports.flatMap(({ key, target, ca }) => {
    const env = {
      ...deployed.environment,
      ...loopbackAws(ctx),
      ...ca,
      TARGET_URL_TEMPLATE: target,
    };
    return [
      { name: `ric/${key}`, run: () => underRic(ric, deployed, env, events, nodeArgs) },
      {
        name: `direct/${key}`,
        run: async () => {
          const { result: r } = await runFresh<ColdResult>(
            workerPath('cold'),
            [deployed.module, JSON.stringify(EVENT), String(WARM_INVOKES)],
            { env, nodeArgs },
          );
          if (r.firstComplete !== true)
            throw new Error(`${key}: the direct invoke did not complete`);
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
  });
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
    ['first invoke outside the sweep (parse, verdict, metrics, event, log)', outside],
    ['whole cold invoke: process start → first response', (r) => r.wholeMs],
    ['INIT share of the whole cold invoke', share, fmt.share],
    ['whole cold invoke / the sweep’s own duration', (r) => r.wholeMs / r.firstSweepMs, fmt.x],
    [`warm invoke (median of ${WARM_INVOKES} per process)`, (r) => r.warmInvokeMs],
    ['peak RSS of the process', (r) => r.peakRssBytes, fmt.mb],
  ];
  const sharesOf = (key: string) => of(`ric/${key}`, share);
  return {
    title,
    body: [
      `The deployed asset (cdk synth’s bundle, its environment, metrics and events to the loopback CloudWatch and EventBridge) run by \`${RIC_PACKAGE}\`,`,
      'the client the nodejs runtimes run, in a fresh node process started as the runtime’s bootstrap starts it for',
      `${MEMORY_MB} MB (${nodeArgs.join(' ')}, plus the function’s NODE_OPTIONS), against a loopback Lambda Runtime API`,
      `(bench/lib/runtime-api.ts). Each process gets ${EVENT.end} ids at ${LATENCY_MS} ms (all in flight, as item 1; plain and HTTPS/1.1), then ${WARM_INVOKES} more. INIT ends when the`,
      'client first asks for an event, as Lambda’s Init Duration does (sandbox creation and the freeze are not modelled).',
      `“Direct” is item 2’s harness (bench/workers/cold.ts: import, call) with the same flags; its INIT is node’s start-up and the import.`,
      `Medians of ${reps} interleaved rounds with the run-to-run range.`,
      '',
      table(
        [
          '',
          ...transports.flatMap(({ label }) => [
            `${label}: runtime interface client`,
            `${label}: direct import and call`,
          ]),
        ],
        rows.map(([label, pick, f]) => [
          label,
          ...transports.flatMap(({ key }) => [
            cell(`ric/${key}`, pick, f),
            cell(`direct/${key}`, pick, f),
          ]),
        ]),
      ),
    ].join('\n'),
    targets: transports.map(({ key, label }) => ({
      what: `14. INIT share of a cold invoke under the runtime interface client, ${label} (reported)`,
      measured: `${fmt.share(median(sharesOf(key)))} (${range(sharesOf(key), fmt.share)}) of ${fmt.ms(median(of(`ric/${key}`, (r) => r.wholeMs)))}`,
      target: 'reported beside the sweep’s own duration',
      met: sharesOf(key).length > 0 && sharesOf(key).every(Number.isFinite),
    })),
  };
}
