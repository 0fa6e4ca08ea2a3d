/**
 * The end of a big distributed sweep in a fresh process, as the local runs and the reduce step
 * run it: from the shards' aggregates (the last response is in) to the answer's JSON. The run is
 * concluded twice under one schedule, so the second compares with the first as its baseline.
 * Usage: node run-end.mjs <ids> <shardSize> <fragmented|uniform>   Prints one JSON line.
 */

import type { BaselineStore, StoredDocument } from '../../lambda/baseline/store.js';
import { createConcluder } from '../../lambda/conclude/conclude.js';
import { fitsResponse, summaryOf } from '../../lambda/distributed/result-link.js';
import { planShards } from '../../lambda/distributed/shards.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { Trigger } from '../../lambda/ground/options.js';
import { type SweepAggregate, summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { fragmentedShards } from '../../test/support/fragmented.js';

export interface RunEndResult {
  /** The first run's end: merge, verdict, a first baseline kept, the answer's JSON. */
  readonly firstMs: number;
  /** The second's: the same, compared with the first as its baseline. */
  readonly comparedMs: number;
  /** The full result's JSON, in bytes (the second run's, changes included). */
  readonly resultBytes: number;
  /** What GET /sweeps/{id} answers: the result, or its summary when too big for a response. */
  readonly answerBytes: number;
  readonly peakRssBytes: number;
}

const [ids = '0', shardSize = '0', shape = 'fragmented'] = process.argv.slice(2);
const end = Number(ids);
const size = Number(shardSize);

/** Every id 200: one span per key, the best case. */
function uniformShards(): SweepAggregate[] {
  return planShards({ start: 1, end }, size).map((range) => {
    const tally = new Tally(range);
    for (let id = range.start; id <= range.end; id++) {
      tally.attempts++;
      tally.settle(id, { kind: 'status', status: 200 }, 100 + (id % 300));
    }
    return summarize(tally, { startedAt: 0, endedAt: 1 });
  });
}

/** Baselines in memory: the store's I/O is not what is timed. */
const kept = new Map<string, StoredDocument>();
const store: BaselineStore = {
  read: async (schedule) => kept.get(schedule),
  write: async (schedule, response) => {
    kept.set(schedule, { text: JSON.stringify(response), version: String(kept.size) });
    return 'written';
  },
};
const concluder = createConcluder(loadConfig({ TARGET_NAME: 'bench', METRICS_MODE: 'off' }), {
  log: () => undefined,
  baselines: store,
});
const shards = shape === 'uniform' ? uniformShards() : fragmentedShards(end, size);

async function runEnd(sweepId: string): Promise<{ ms: number; full: number; answer: number }> {
  const started = performance.now();
  const run = {
    sweepId,
    trigger: Trigger.schedule,
    schedule: 'nightly',
    range: { start: 1, end },
    shardSize: size,
  };
  const response = await concluder.concludeRun(run, shards, { startedAt: 0, endedAt: 1 }, {});
  const text = JSON.stringify(response);
  // Too big for a Lambda response: its summary is made once, beside it (results.ts).
  const answer = fitsResponse(text) ? text : JSON.stringify(summaryOf(response, text.length));
  return { ms: performance.now() - started, full: text.length, answer: answer.length };
}

const first = await runEnd('first');
const compared = await runEnd('second');
const result: RunEndResult = {
  firstMs: first.ms,
  comparedMs: compared.ms,
  resultBytes: compared.full,
  answerBytes: compared.answer,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
