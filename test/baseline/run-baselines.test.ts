import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderStore } from '../../dev/folder-store.js';
import { createConcluder } from '../../lambda/conclude/conclude.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { Trigger } from '../../lambda/ground/options.js';
import { type SweepAggregate, summarize, Tally } from '../../lambda/sweep/aggregate.js';

/** A shard's aggregate: ids of `range` answering `status(id)`. */
function shard(start: number, end: number, status: (id: number) => number): SweepAggregate {
  const tally = new Tally({ start, end });
  for (let id = start; id <= end; id++) tally.settle(id, { kind: 'status', status: status(id) }, 5);
  return summarize(tally, { startedAt: 0, endedAt: 1_000 });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-baselines-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("a distributed schedule's baseline", () => {
  it('is compared and kept after the merge, where the run ends', async () => {
    const config = loadConfig({ TARGET_NAME: 'demo', METRICS_MODE: 'off' });
    const concluder = createConcluder(config, {
      log: () => undefined,
      baselines: folderStore(dir),
    });
    const run = (sweepId: string) => ({
      sweepId,
      trigger: Trigger.schedule,
      schedule: 'nightly',
      range: { start: 1, end: 20 },
      shardSize: 10,
    });
    const clock = { startedAt: 0, endedAt: 2_000 };
    await concluder.concludeRun(
      run('first'),
      [shard(1, 10, () => 200), shard(11, 20, () => 200)],
      clock,
      {},
    );

    const second = await concluder.concludeRun(
      run('second'),
      [shard(11, 20, (id) => (id >= 18 ? 404 : 200)), shard(1, 10, () => 200)],
      clock,
      {},
    );

    expect(second.changes).toMatchObject({
      baseline: { sweepId: 'first' },
      newlyUnexpected: { count: 3, ids: '18-20' },
      transitions: { '200→404': '18-20' },
    });
    const stored = JSON.parse(await readFile(join(dir, 'nightly.json'), 'utf8'));
    expect(stored.sweepId).toBe('second');
  });
});
