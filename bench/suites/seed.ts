import { Worker } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, median } from '../lib/stats.js';
import type { ClientResult } from '../workers/client.js';
import type { InvokeJob, InvokeResult } from '../workers/handler.js';
import { type BenchContext, template } from './context.js';

/** The seed's ~0.41 s per PokéAPI request. */
const LATENCY_MS = 400;
/** The seed's figures: 100 ids 41.33 s one by one, 1.43 s concurrently. */
const SEED_SPEEDUP_100 = 41.33 / 1.43;
const TARGET_SPEEDUP_100 = 95;

/** Item 1: 3 and 100 ids, one by one against all at once, through the deployed handler. */
export async function seedTable(ctx: BenchContext): Promise<Section> {
  const { worker } = await Worker.start('handler', {
    quiet: true,
    env: {
      TARGET_URL_TEMPLATE: template(ctx, LATENCY_MS),
      TARGET_NAME: 'demo',
      METRICS_MODE: 'off',
    },
  });
  const { worker: bare } = await Worker.start('client');
  const bareRun = async () =>
    (
      await bare.call<ClientResult>({
        kind: 'undici',
        template: template(ctx, LATENCY_MS),
        n: 100,
        concurrency: 100,
      })
    ).ms;
  const bareRuns: number[] = [];
  const cpu100: number[] = [];
  const invoke = (end: number, concurrency: number) =>
    worker.call<InvokeResult>({ start: 1, end, concurrency } satisfies InvokeJob);
  const reps = ctx.quick ? 2 : 5;
  // 100 ids one by one take 40 s and vary by milliseconds: fewer repetitions of that one.
  const seqReps = ctx.quick ? 1 : 2;
  const runs = {
    seq3: [] as number[],
    conc3: [] as number[],
    seq100: [] as number[],
    conc100: [] as number[],
  };
  try {
    ctx.log('seed: warm-up');
    await invoke(3, 3);
    await invoke(3, 1);
    await invoke(100, 100);
    await bareRun();
    for (let round = 0; round < reps; round++) {
      ctx.log(`seed: round ${round + 1}/${reps}`);
      const order: [keyof typeof runs, number, number][] = [
        ['conc3', 3, 3],
        ['seq3', 3, 1],
        ['conc100', 100, 100],
      ];
      if (round < seqReps) order.splice(round % 2 === 0 ? 0 : 3, 0, ['seq100', 100, 1]);
      for (const [name, end, concurrency] of order) {
        const result = await invoke(end, concurrency);
        if (result.total !== end || !result.complete) throw new Error(`${name}: incomplete sweep`);
        runs[name].push(result.ms);
        if (name === 'conc100') cpu100.push(result.cpuMs);
      }
      bareRuns.push(await bareRun());
    }
  } finally {
    await worker.stop();
    await bare.stop();
  }
  const row = (n: number, seq: number[], conc: number[], seed: string) => {
    const speedup = median(seq) / median(conc);
    return {
      speedup,
      cells: [String(n), fmt.ms(median(seq)), fmt.ms(median(conc)), fmt.x(speedup), fmt.x(n), seed],
    };
  };
  const three = row(3, runs.seq3, runs.conc3, '0.39 s concurrent');
  const hundred = row(
    100,
    runs.seq100,
    runs.conc100,
    `${fmt.x(SEED_SPEEDUP_100)} (41.33 s / 1.43 s)`,
  );
  return {
    title: '1. The seed’s table (400 ms upstream, through the handler)',
    body: [
      `Direct invocations of the deployed handler (lambda/handler.ts, metrics off) against the demo`,
      `upstream answering every request after exactly ${LATENCY_MS} ms; concurrency 1 against concurrency = ids.`,
      `Medians of ${reps} runs (${seqReps} for 100 ids one by one, which take 40 s each).`,
      '',
      table(
        ['ids', 'one by one', 'concurrent', 'speed-up', 'ideal', 'seed'],
        [three.cells, hundred.cells],
      ),
      '',
      `For reference, in the same rounds: a bare undici.request loop fetching the 100 ids at once from`,
      `the same upstream took ${fmt.ms(median(bareRuns))} (the floor on this machine; the handler's concurrent run is`,
      `${fmt.x(median(runs.conc100) / median(bareRuns))} that), and the handler process used ${fmt.ms(median(cpu100))} of CPU per concurrent 100-id invoke.`,
    ].join('\n'),
    targets: [
      {
        what: '1. speed-up, 100 ids at 400 ms',
        measured: fmt.x(hundred.speedup),
        target: `≥ ${TARGET_SPEEDUP_100}x`,
        met: hundred.speedup >= TARGET_SPEEDUP_100,
      },
    ],
    notes: [
      'Direct invokes, not HTTP API events: the API path stops a sweep at 28 s (API Gateway’s 30 s limit), so 100 ids one by one would come back partial there.',
      'The demo upstream runs with jitter 0 here; with its default ±25 % jitter the concurrent run waits for the slowest of 100 draws (~500 ms), which alone caps the speed-up near 80x.',
    ],
  };
}
