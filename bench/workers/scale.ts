/**
 * One sweep in a fresh process (after a 1,000-id warm-up), then its peak RSS (getrusage's maxrss covers the whole life of
 * the process, module loading included). Usage: node scale.mjs <template> <n> <concurrency> [checked]
 * ("checked": with a two-pointer body rule, as issue 23's RSS row asks)
 * Prints one JSON line.
 */
import { getHeapStatistics } from 'node:v8';
import { sweep } from '../../lambda/sweep/index.js';
import { checksFor } from '../../lambda/verdict/checks.js';
import { compileExpectations } from '../../lambda/verdict/expectations.js';

export interface ScaleResult {
  readonly ms: number;
  readonly answered: number;
  /** RSS after loading the engine and a warm-up sweep, before the measured sweep. */
  readonly baselineRssBytes: number;
  /** Peak RSS of the process. */
  readonly peakRssBytes: number;
  readonly heapLimitBytes: number;
}

/** Ids swept before the measured sweep. */
const WARM_UP_IDS = 1_000;

const [template = '', n = '0', concurrency = '0', checks] = process.argv.slice(2);
const checkFor =
  checks === 'checked'
    ? checksFor(
        compileExpectations([
          { statuses: ['2xx'], body: { json: { '/id': '{id}', '/name': { exists: true } } } },
        ]),
      )
    : undefined;
const run = (end: number) =>
  sweep({
    range: { start: 1, end },
    urlTemplate: template,
    concurrency: Number(concurrency),
    timeoutMs: 10_000,
    retries: 0,
    checkFor,
  });
// A warm-up sweep (JIT, connections), as a warm Lambda would have had: time per id then
// compares sizes rather than process start-up. Its memory counts in the peak like the rest.
await run(WARM_UP_IDS);
const baselineRssBytes = process.memoryUsage.rss();
const started = performance.now();
const aggregate = await run(Number(n));
const ms = performance.now() - started;
const result: ScaleResult = {
  ms,
  answered: Object.values(aggregate.statuses).reduce((a, b) => a + b, 0),
  baselineRssBytes,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  heapLimitBytes: getHeapStatistics().heap_size_limit,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
