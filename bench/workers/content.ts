/**
 * The client process of the body-check item: one engine variant per process (status only, phases
 * off, a rule with two JSON Pointers), each measured as a warm Lambda would run it.
 */
import { countIds, sweep } from '../../lambda/sweep/index.js';
import { checksFor } from '../../lambda/verdict/checks.js';
import { compileExpectations } from '../../lambda/verdict/expectations.js';
import { serveJobs } from '../lib/procs.js';

export type ContentVariant = 'status' | 'phases-off' | 'checked';

export interface ContentJob {
  readonly variant: ContentVariant;
  readonly template: string;
  readonly n: number;
  readonly concurrency: number;
}

export interface ContentResult {
  readonly ms: number;
  readonly cpuMs: number;
  /** Ids that ended with a status, content mismatches included. */
  readonly answered: number;
  readonly content: number;
  /** Sum of the ids' latencies: over `ms`, the speed-up against one by one. */
  readonly latencySumMs: number;
}

/** The two-pointer rule of the cost item: the id, and a field that must exist. */
const CHECKED = checksFor(
  compileExpectations([
    { statuses: ['2xx'], body: { json: { '/id': '{id}', '/name': { exists: true } } } },
  ]),
);

async function run(job: ContentJob): Promise<ContentResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await sweep({
    range: { start: 1, end: job.n },
    urlTemplate: job.template,
    concurrency: job.concurrency,
    timeoutMs: 10_000,
    retries: 0,
    phases: job.variant !== 'phases-off',
    ...(job.variant === 'checked' && { checkFor: CHECKED }),
  });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    answered: Object.values(result.statuses).reduce((a, b) => a + b, 0),
    content: countIds(result.ids.content ?? ''),
    latencySumMs: result.latency.sumMicros / 1000,
  };
}

serveJobs((job: ContentJob) => run(job));
