import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { folderStore } from '../../dev/folder-store.js';
import type { BaselineStore } from '../../lambda/baseline/store.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers, type SweepHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { MetricName } from '../../lambda/metrics/names.js';
import { emfTotals, parseEmf } from '../metrics/emf-check.js';
import { lambdaContext, postSweeps, scheduleEvent } from '../support/events.js';
import { type Behaviour, behaviours, startFaultUpstream } from '../support/fault-upstream.js';
import { swept } from '../support/sweep-handler.js';

const SCHEDULE = 'nightly';
/** Short enough that the hanging id times out quickly, long enough for loopback under load. */
const TIMEOUT_MS = 1_500;

type Phase = 'before' | 'after' | 'stuck';

/**
 * The upstream before and after: 98-100 go 200 → 404, 101 goes 500 → 200, 7 stops hanging;
 * when stuck, ids from 50 on never answer.
 */
function upstreamFor(phase: () => Phase) {
  return startFaultUpstream((id): Behaviour => {
    if (phase() === 'stuck' && id >= 50) return { type: 'hang' };
    const after = phase() !== 'before';
    if (id === 7) return after ? behaviours.ok() : { type: 'hang' };
    if (id >= 98 && id <= 100) return after ? { type: 'status', status: 404 } : behaviours.ok();
    if (id === 101) return after ? behaviours.ok() : { type: 'status', status: 500 };
    return behaviours.ok();
  });
}

let dir: string;
let phase: Phase;
let upstream: Awaited<ReturnType<typeof upstreamFor>>;
let logs: Array<Record<string, unknown>>;

function handlers(store: BaselineStore, env: Record<string, string> = {}): SweepHandlers {
  const config = loadConfig({
    TARGET_URL_TEMPLATE: upstream.urlTemplate,
    TARGET_NAME: 'demo',
    METRICS_MODE: 'off',
    SCHEDULE_NAMES: `${SCHEDULE},weekly`,
    ...env,
  });
  return createHandlers(config, { log: (line) => logs.push(line), baselines: store });
}

// Baselines here, not confirmation: no second pass (2 s and the hanging id's timeout again).
const scheduled = (h: SweepHandlers, end = 101) =>
  h
    .invoke(
      scheduleEvent({
        start: 1,
        end,
        schedule: SCHEDULE,
        timeoutMs: TIMEOUT_MS,
        retries: 0,
        confirm: false,
      }),
      lambdaContext(),
    )
    .then(swept);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baselines-'));
  phase = 'before';
  upstream = await upstreamFor(() => phase);
  logs = [];
});
afterEach(async () => {
  vi.restoreAllMocks();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a schedule's baseline", () => {
  it('is never replaced by a direct invoke that names the schedule with another range', async () => {
    const store = folderStore(dir);
    const h = handlers(store, { SCHEDULE_RANGES: `${SCHEDULE}=1-101` });
    await scheduled(h);
    const kept = await store.read(SCHEDULE, AbortSignal.timeout(5_000));

    const error: unknown = await h
      .invoke(scheduleEvent({ start: 1, end: 10, schedule: SCHEDULE }), lambdaContext())
      .catch((e: unknown) => e);

    expect((error as Error).name).toBe('InvalidRequestError');
    expect((error as { details?: unknown }).details).toEqual({
      schedule: [
        `names schedule "${SCHEDULE}", which sweeps 1-101: a sweep of 1-10 would replace its baseline and feed its alarms; sweep its range, or leave schedule out`,
      ],
    });
    expect(await store.read(SCHEDULE, AbortSignal.timeout(5_000))).toEqual(kept);
  });

  it('has no changes on its first sweep, which becomes the baseline', async () => {
    const h = handlers(folderStore(dir));

    const first = await scheduled(h);

    expect(first.changes).toBeNull();
    const stored = JSON.parse(await readFile(join(dir, `${SCHEDULE}.json`), 'utf8'));
    expect(stored.sweepId).toBe(first.sweepId);
    expect(logs.at(-1)).toMatchObject({
      message: 'sweep finished',
      baseline: { schedule: SCHEDULE, read: 'none', write: 'written' },
    });
  });

  it('reports what changed since the last sweep by id range, then replaces the baseline', async () => {
    const h = handlers(folderStore(dir));
    const first = await scheduled(h);
    phase = 'after';

    const second = await scheduled(h);

    expect(second.changes).toMatchObject({
      baseline: { sweepId: first.sweepId, endedAt: first.endedAt },
      newlyUnexpected: { count: 3, ids: '98-100' },
      recovered: { count: 2, ids: '7,101' },
      stillUnexpected: { count: 0, ids: '' },
      transitions: { '200→404': '98-100', '500→200': '101', 'timeout→200': '7' },
      new: { count: 0, ids: '' },
    });
    const stored = JSON.parse(await readFile(join(dir, `${SCHEDULE}.json`), 'utf8'));
    expect(stored.sweepId).toBe(second.sweepId);
    expect(logs.at(-1)).toMatchObject({
      baseline: { read: 'found', write: 'written' },
      changes: {
        newlyUnexpected: { count: 3, ids: '98-100' },
        recovered: { count: 2, ids: '7,101' },
        transitions: { '200→404': '98-100' },
      },
    });
  });

  it('publishes NewlyUnexpected and Recovered, NewlyUnexpected per schedule too', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => writes.push(String(chunk)) > 0);
    const h = handlers(folderStore(dir), { METRICS_MODE: 'emf' });
    await scheduled(h);
    phase = 'after';
    writes.length = 0;

    await scheduled(h);

    const docs = parseEmf(writes.join(''));
    const perSchedule = docs.filter((doc) => doc.Schedule === SCHEDULE);
    // Target alone: both; with {Target, Schedule} too: NewlyUnexpected (its alarm reads it there).
    expect(emfTotals(docs.filter((doc) => doc.Schedule === undefined))).toMatchObject({
      [MetricName.newlyUnexpected]: { sum: 3, samples: 1 },
      [MetricName.recovered]: { sum: 2, samples: 1 },
    });
    expect(emfTotals(perSchedule)[MetricName.newlyUnexpected]).toEqual({ sum: 3, samples: 1 });
    expect(emfTotals(perSchedule)[MetricName.recovered]).toBeUndefined();
  });

  it('compares an incomplete sweep but keeps the complete baseline', async () => {
    const h = handlers(folderStore(dir));
    const first = await scheduled(h);
    phase = 'stuck';

    const cut = await h
      .invoke(
        scheduleEvent({
          start: 1,
          end: 101,
          schedule: SCHEDULE,
          concurrency: 1,
          timeoutMs: 10_000,
          retries: 0,
          timeBudgetMs: 1_000,
        }),
        lambdaContext(),
      )
      .then(swept);

    expect(cut.complete).toBe(false);
    expect(cut.changes?.baseline.sweepId).toBe(first.sweepId);
    expect(cut.changes?.notCompared).toEqual({ count: 52, ids: '50-101' });
    expect(cut.changes?.recovered.ids).toBe('7');
    const stored = JSON.parse(await readFile(join(dir, `${SCHEDULE}.json`), 'utf8'));
    expect(stored.sweepId).toBe(first.sweepId);
    expect(logs.at(-1)).toMatchObject({ baseline: { read: 'found', write: 'kept' } });
  });

  it('logs a conflict when another sweep replaced the baseline first, and still answers', async () => {
    const store = folderStore(dir);
    const h = handlers({ read: store.read, write: async () => 'conflict' });

    const response = await scheduled(h);

    expect(response.complete).toBe(true);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: expect.stringContaining('wrote it first'),
      }),
    );
    expect(logs.at(-1)).toMatchObject({ baseline: { write: 'conflict' } });
  });

  it('answers without changes when the store fails, and says why in the log line', async () => {
    const broken: BaselineStore = {
      read: async () => {
        throw new Error('store down');
      },
      write: async () => 'written',
    };
    const h = handlers(broken);

    const response = await scheduled(h);

    expect(response.changes).toBeNull();
    expect(logs.at(-1)).toMatchObject({
      baseline: { read: 'failed', write: 'skipped', reason: 'Error: store down' },
    });
  });
});

describe('a baseline that is not valid JSON', () => {
  it('is replaced by the next complete scheduled sweep, with a warning, and compared from then on', async () => {
    await writeFile(join(dir, `${SCHEDULE}.json`), '{"sweepId":"cut short","ids":{"200":"1-');
    const h = handlers(folderStore(dir));

    const first = await scheduled(h);
    phase = 'after';
    const second = await scheduled(h);

    expect(first.changes).toBeNull();
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'baseline replaced: it was not valid' }),
    );
    expect(logs.find((line) => 'baseline' in line)).toMatchObject({
      baseline: { read: 'invalid', write: 'written' },
    });
    expect(second.changes).toMatchObject({ baseline: { sweepId: first.sweepId } });
  });
});

describe('compareWith on the API', () => {
  it("compares an API sweep with a schedule's baseline and never writes it", async () => {
    const h = handlers(folderStore(dir));
    const first = await scheduled(h);
    phase = 'after';

    const result = await h.http(
      postSweeps({
        start: 1,
        end: 103,
        timeoutMs: TIMEOUT_MS,
        retries: 0,
        confirm: false,
        compareWith: SCHEDULE,
      }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    const response = JSON.parse(String(result.body)) as SweepResponse;
    expect(response.changes).toMatchObject({
      baseline: { sweepId: first.sweepId },
      newlyUnexpected: { ids: '98-100' },
      new: { count: 2, ids: '102-103' },
    });
    const stored = JSON.parse(await readFile(join(dir, `${SCHEDULE}.json`), 'utf8'));
    expect(stored.sweepId).toBe(first.sweepId);
  });

  it('answers 400 for a name that is not a deployed schedule, naming the ones that are', async () => {
    const h = handlers(folderStore(dir));

    const result = await h.http(
      postSweeps({ start: 1, end: 3, compareWith: 'hourly' }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(String(result.body)).error.details).toEqual({
      compareWith: ['must be one of the deployed schedules (nightly, weekly), got "hourly"'],
    });
    expect(upstream.attempts(1)).toBe(0);
  });

  it('has changes null when the schedule has no baseline yet', async () => {
    const h = handlers(folderStore(dir));

    const result = await h.http(
      postSweeps({ start: 1, end: 3, compareWith: 'weekly' }),
      lambdaContext(),
    );

    expect(JSON.parse(String(result.body)).changes).toBeNull();
  });
});
