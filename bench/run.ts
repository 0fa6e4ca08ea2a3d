/**
 * `npm run bench`: the issue-6 benchmarks on loopback. Builds the workers, starts the upstream
 * process, runs the suites one after another, prints each table and writes BENCHMARKS.md.
 *
 *   npm run bench                 full run (a few minutes on 2 cores)
 *   npm run bench -- --quick      fewer repetitions: a smoke test, not figures to quote
 *   npm run bench -- --only 3,5   some suites; prints them and leaves BENCHMARKS.md alone
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildWorkers } from './lib/build.js';
import { type Bundles, synthesize } from './lib/deployed.js';
import { Worker } from './lib/procs.js';
import { loadAverage, machine, renderMarkdown, type Section } from './lib/report.js';
import { aiohttpSideBySide } from './suites/aiohttp.js';
import { coldStart } from './suites/cold-start.js';
import { coldWarm } from './suites/cold-warm.js';
import { content } from './suites/content.js';
import type { BenchContext } from './suites/context.js';
import { efficiency } from './suites/efficiency.js';
import { honestRatios } from './suites/honest.js';
import { lambdaCpu } from './suites/lambda-cpu.js';
import { lambdaInvoke } from './suites/lambda-invoke.js';
import { merge } from './suites/merge.js';
import { metrics } from './suites/metrics.js';
import { rateLimited } from './suites/rate-limited.js';
import { scale } from './suites/scale.js';
import { seedTls } from './suites/seed-tls.js';
import { startUp } from './suites/start.js';
import { clientCpu } from './suites/throughput.js';
import type { UpstreamHello } from './workers/upstream.js';

/**
 * Items 1-7 are issue 14's targets; 8-11 keep the earlier scale, bundle, metrics and merge checks;
 * 12 is issue 21's rate-limited origin; 13 is content checks; 14 is issue 27's cold invoke under
 * the runtime interface client.
 */
const SUITES: readonly ((ctx: BenchContext) => Promise<Section>)[] = [
  seedTls,
  coldWarm,
  async (ctx) => combine(await clientCpu(ctx), await efficiency(ctx)),
  lambdaCpu,
  aiohttpSideBySide,
  honestRatios,
  startUp,
  scale,
  coldStart,
  metrics,
  merge,
  rateLimited,
  content,
  lambdaInvoke,
];
const ROOT = join(import.meta.dirname, '..');

/** Item 3 has two parts (CPU per request, efficiency at 20 ms): one section. */
function combine(a: Section, b: Section): Section {
  return {
    title: a.title,
    body: `${a.body}\n\n### ${b.title}\n\n${b.body}`,
    targets: [...a.targets, ...b.targets],
    notes: [...(a.notes ?? []), ...(b.notes ?? [])],
  };
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const only = values.only?.split(',').map(Number) ?? SUITES.map((_, i) => i + 1);
if (only.some((n) => !Number.isInteger(n) || n < 1 || n > SUITES.length)) {
  throw new Error(`--only takes item numbers 1-${SUITES.length}, got "${values.only}"`);
}
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const started = performance.now();
const host = machine();
log(`${host.cpu}, ${host.cores} cores, Node ${host.node}, load ${host.loadBefore}`);
await buildWorkers();
const { worker: upstream, hello } = await Worker.start('upstream');
const { templates, tlsTemplates, caFile, cloudwatchUrl, eventbridgeUrl } = hello as UpstreamHello;
const synthDir = await mkdtemp(join(tmpdir(), 'bench-synth-'));
let bundles: Promise<Bundles> | undefined;
const memo = new Map<string, Promise<unknown>>();
const ctx: BenchContext = {
  quick: values.quick,
  templates,
  tls: { tlsTemplates, caFile },
  cloudwatchUrl,
  eventbridgeUrl,
  upstream,
  bundles: () => {
    if (!bundles) log('synthesizing the Lambda bundles (cdk synth)');
    bundles ??= synthesize(synthDir);
    return bundles;
  },
  shared: <T>(key: string, make: () => Promise<T>) => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key) as Promise<T>;
  },
  log,
};
const sections: Section[] = [];
try {
  for (const n of only) {
    const section = await (SUITES[n - 1] as (typeof SUITES)[number])(ctx);
    sections.push(section);
    process.stdout.write(`\n## ${section.title}\n\n${section.body}\n`);
    for (const t of section.targets) {
      process.stdout.write(
        `  ${t.met ? 'met   ' : 'MISSED'} ${t.what}: ${t.measured} (target ${t.target})\n`,
      );
    }
  }
} finally {
  await upstream.stop();
  await rm(synthDir, { recursive: true, force: true });
}
const minutes = (performance.now() - started) / 60_000;
log(`done in ${minutes.toFixed(1)} min`);
if (values.only === undefined) {
  const findingsPath = join(import.meta.dirname, 'FINDINGS.md');
  const findings = existsSync(findingsPath) ? readFileSync(findingsPath, 'utf8') : '';
  const markdown = renderMarkdown(
    host,
    sections,
    { quick: values.quick, minutes, loadAfter: loadAverage() },
    findings,
  );
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown);
  log('wrote BENCHMARKS.md');
}
