import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConcluder } from '../../lambda/conclude/conclude.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { parseReduceEvent, REDUCE_KIND } from '../../lambda/distributed/messages.js';
import { planFor, runInput } from '../../lambda/distributed/start.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { Trigger } from '../../lambda/ground/options.js';
import {
  EVENT_SOURCE,
  SWEEP_FINISHED,
  type SweepFinishedDetail,
  sweepFinishedEntry,
} from '../../lambda/notify/sweep-event.js';
import { requestParser } from '../../lambda/request/request.js';
import { summarize, Tally } from '../../lambda/sweep/aggregate.js';
import { EndpointBehaviour, startCloudWatchEndpoint } from '../support/cloudwatch-endpoint.js';
import {
  type EventBridgeEndpoint,
  EventsBehaviour,
  PUT_EVENTS_ENTRY_LIMIT,
  startEventBridgeEndpoint,
} from '../support/eventbridge-endpoint.js';
import { directEvent, lambdaContext, postSweeps, scheduleEvent } from '../support/events.js';
import { stubLoopbackAws } from '../support/loopback-aws.js';
import {
  type HandlerUnderTest,
  handlerOnLoopback,
  jsonBody,
  swept,
} from '../support/sweep-handler.js';

const DASHBOARD = 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home#dashboards:name=demo';

let endpoint: EventBridgeEndpoint;
let sut: HandlerUnderTest;
beforeAll(async () => {
  endpoint = await startEventBridgeEndpoint();
  stubLoopbackAws('EVENTBRIDGE', endpoint.url);
  sut = await handlerOnLoopback({
    EVENTS_MODE: 'eventbridge',
    DASHBOARD_URL: DASHBOARD,
    SCHEDULE_NAMES: 'nightly',
    SCHEDULE_RANGES: 'nightly=1-5',
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sut.close();
  await endpoint.close();
});
beforeEach(() => {
  endpoint.behaviour = EventsBehaviour.accept;
  endpoint.entries.length = 0;
  sut.logs.length = 0;
});

const detailOf = (i: number): SweepFinishedDetail =>
  JSON.parse(endpoint.entries[i]?.Detail ?? 'null') as SweepFinishedDetail;
const summary = () =>
  sut.logs.map((l) => JSON.parse(l)).find((l) => l.message === 'sweep finished');

/** A deployment that concludes runs and sends their events (the loopback bus above). */
const runsConfig = (extra: Record<string, string> = {}) =>
  loadConfig({
    TARGET_URL_TEMPLATE: 'http://127.0.0.1:9/{id}',
    TARGET_NAME: 'demo',
    METRICS_MODE: 'off',
    EVENTS_MODE: 'eventbridge',
    ...extra,
  });

/** One shard's aggregate of `range`, each id answering `statusOf(id)`. */
function oneShard(range: { start: number; end: number }, statusOf: (id: number) => number) {
  const tally = new Tally(range);
  for (let id = range.start; id <= range.end; id++) {
    tally.settle(id, { kind: 'status', status: statusOf(id) });
  }
  return summarize(tally, { startedAt: Date.now() - 10, endedAt: Date.now() });
}

describe('the Sweep Finished event', () => {
  it('goes to the default bus once per sweep, naming the unexpected ids, the verdict and the dashboard', async () => {
    const response = jsonBody<SweepResponse>(
      await sut.http(postSweeps({ start: 1020, end: 1030, confirmDelayMs: 0 }), lambdaContext()),
    );

    expect(endpoint.entries).toHaveLength(1);
    expect(endpoint.entries[0]).toMatchObject({ Source: EVENT_SOURCE, DetailType: SWEEP_FINISHED });
    expect(endpoint.entries[0]?.EventBusName).toBeUndefined();
    expect(detailOf(0)).toEqual({
      version: 1,
      sweepId: response.sweepId,
      target: 'demo',
      schedule: null,
      trigger: 'api',
      verdict: 'failed',
      muted: false,
      range: { start: 1020, end: 1030 },
      total: 11,
      expected: 6,
      unexpected: 5,
      flaky: 0,
      notAttempted: 0,
      complete: true,
      unexpectedIds: '1026-1030',
      flakyIds: '',
      verdictReasons: response.verdictReasons,
      changes: null,
      truncated: false,
      dashboardUrl: DASHBOARD,
      endedAt: response.endedAt,
    });
    expect(summary()).toMatchObject({ event: 'sent' });
  });

  it('costs a sweep nothing past its deadline when EventBridge never answers, and is sent once', async () => {
    endpoint.behaviour = EventsBehaviour.hang;
    const startedAt = Date.now();

    const response = swept(
      await sut.invoke(directEvent({ start: 1, end: 5 }), lambdaContext({ remainingMs: 4_500 })),
    );

    expect(Date.now() - startedAt).toBeLessThan(4_500);
    expect(response.verdict).toBe('ok');
    expect(endpoint.requests).toBeGreaterThan(0);
    expect(endpoint.entries.filter((e) => e.Detail.includes(response.sweepId))).toHaveLength(1);
    expect(summary()).toMatchObject({ event: 'unconfirmed' });
  });

  it('goes out while CloudWatch is still being asked, not after the metrics publish gives up', async () => {
    const cloudwatch = await startCloudWatchEndpoint();
    cloudwatch.behaviour = EndpointBehaviour.hang;
    stubLoopbackAws('CLOUDWATCH', cloudwatch.url);
    const publishing = await handlerOnLoopback({
      EVENTS_MODE: 'eventbridge',
      METRICS_MODE: 'cloudwatch',
    });
    try {
      let finished = false;
      // PutMetricData hangs until the SDK's request timeout gives up on it, seconds later.
      const invoked = publishing
        .invoke(directEvent({ start: 1, end: 5 }), lambdaContext({ remainingMs: 8_000 }))
        .finally(() => {
          finished = true;
        });

      // Sent after the publish, the event would arrive seconds in; side by side it is there at once.
      await vi.waitFor(() => expect(endpoint.entries).toHaveLength(1), { timeout: 3_000 });
      expect(finished).toBe(false);
      expect(cloudwatch.requests.length).toBeGreaterThan(0);
      const response = swept(await invoked);
      expect(detailOf(0).sweepId).toBe(response.sweepId);
      const line = publishing.logs
        .map((l) => JSON.parse(l))
        .find((l) => l.message === 'sweep finished');
      expect(line).toMatchObject({ event: 'sent', metrics: 'unconfirmed' });
    } finally {
      await publishing.close();
      await cloudwatch.close();
    }
  });

  it('reports a partial failure (FailedEntryCount with a 200) without sending the entry again', async () => {
    endpoint.behaviour = EventsBehaviour.failEntry;

    const result = await sut.http(postSweeps({ start: 1, end: 3 }), lambdaContext());

    expect(result.statusCode).toBe(200);
    expect(endpoint.entries).toHaveLength(1);
    expect(summary()).toMatchObject({ event: 'failed' });
    const warning = sut.logs.map((l) => JSON.parse(l)).find((l) => l.level === 'WARN');
    expect(warning?.message).toMatch(
      /was not delivered: PutEvents refused the entry: InternalFailure/,
    );
  });

  it('says muted when the schedule’s mute window covers the sweep, which still runs and answers', async () => {
    const always = { cron: '* * ? * * *', minutes: 1, timeZone: 'Europe/Paris' };
    const never = { cron: '0 0 1 1 ? 2199', minutes: 60 };

    const muted = swept(
      await sut.invoke(
        scheduleEvent({ start: 1, end: 5, schedule: 'nightly', mute: [never, always] }),
        lambdaContext(),
      ),
    );
    const heard = swept(
      await sut.invoke(
        scheduleEvent({ start: 1, end: 5, schedule: 'nightly', mute: [never] }),
        lambdaContext(),
      ),
    );

    expect(muted).toMatchObject({ muted: true, total: 5, statuses: { '200': 5 } });
    expect(heard).not.toHaveProperty('muted');
    expect(endpoint.entries.map((e) => JSON.parse(e.Detail).muted)).toEqual([true, false]);
  });

  it('refuses mute windows on the API, where no schedule names them', async () => {
    const result = await sut.http(
      postSweeps({ start: 1, end: 2, mute: [{ cron: '* * ? * * *', minutes: 1 }] }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(result.body).toMatch(/mute.*is not a known field/);
  });

  it('follows a distributed sweep after the merge, naming the path of its result', async () => {
    const concluder = createConcluder(runsConfig(), { log: () => undefined });
    const range = { start: 1, end: 4 };
    const shard = oneShard(range, (id) => (id === 3 ? 500 : 200));
    const sweepId = '00000000-0000-4000-8000-000000000024';

    await concluder.concludeRun(
      { sweepId, trigger: Trigger.schedule, range, shardSize: 4 },
      [shard],
      { startedAt: Date.now() - 10, endedAt: Date.now() },
      lambdaContext(),
    );

    expect(detailOf(0)).toMatchObject({
      sweepId,
      unexpectedIds: '3',
      resultPath: `/sweeps/${sweepId}`,
    });
  });
});

describe('a scheduled distributed run', () => {
  it('started inside a mute window is muted after the merge, its record passing the reduce step’s checks', async () => {
    const config = runsConfig({ MAX_IDS: '10', SCHEDULE_NAMES: 'nightly' });
    const always = { cron: '* * ? * * *', minutes: 1 };
    const request = requestParser(config, { distributed: true }).fromEvent(
      scheduleEvent({
        start: 1,
        end: 20,
        schedule: 'nightly',
        mute: [always],
        alarmAfter: { sweeps: 2, of: 3 },
      }),
    );
    const sweepId = '00000000-0000-4000-8000-000000000027';
    const { run } = runInput(request, sweepId, planFor(request, config));
    // As the state machine hands it to the reduce step.
    const reduce = parseReduceEvent(
      JSON.parse(
        JSON.stringify({
          kind: REDUCE_KIND,
          run,
          startedAt: new Date().toISOString(),
          results: { Bucket: 'b', Key: 'k' },
        }),
      ),
      ['demo'],
    );
    const shard = oneShard(run.range, () => 200);

    await createConcluder(config, { log: () => undefined }).concludeRun(
      reduce.run,
      [shard],
      { startedAt: Date.now() - 10, endedAt: Date.now() },
      lambdaContext(),
    );

    expect(reduce.run).toMatchObject({
      muted: true,
      muteWindows: true,
      alarmAfter: { sweeps: 2, of: 3 },
    });
    expect(detailOf(0)).toMatchObject({ sweepId, muted: true });
  });
});

describe('an event too big for PutEvents', () => {
  /** Every other id of 1..400,000 unexpected: 2.6 MB of ranges, ten times an entry's limit. */
  const huge = (): SweepResponse => {
    const ids = Array.from({ length: 200_000 }, (_, i) => String(2 * i + 1)).join(',');
    return {
      sweepId: 's',
      trigger: 'schedule',
      target: 'demo',
      range: { start: 1, end: 400_000 },
      total: 400_000,
      verdict: 'failed',
      expected: 200_000,
      unexpected: 200_000,
      unexpectedIds: ids,
      flaky: 3,
      flakyIds: '2,4,6',
      verdictReasons: [],
      notAttempted: 0,
      complete: true,
      changes: null,
      endedAt: new Date(0).toISOString(),
    } as unknown as SweepResponse;
  };

  it('cuts its ranges at a range end to fit the limit, says so, and keeps the counts', async () => {
    const response = huge();

    const entry = sweepFinishedEntry(response, { schedule: 'nightly' });

    const bytes = Buffer.byteLength(entry.Source + entry.DetailType + entry.Detail);
    expect(bytes).toBeLessThanOrEqual(PUT_EVENTS_ENTRY_LIMIT);
    expect(bytes).toBeGreaterThan(PUT_EVENTS_ENTRY_LIMIT - 4_096);
    const detail = JSON.parse(entry.Detail) as SweepFinishedDetail;
    expect(detail.truncated).toBe(true);
    expect(detail.unexpected).toBe(200_000);
    expect(response.unexpectedIds.startsWith(`${detail.unexpectedIds},`)).toBe(true);
    expect(detail.flakyIds).toBe('2,4,6');
  });

  it('leaves an entry that fits untouched', () => {
    const response = { ...huge(), unexpectedIds: '1-5' };

    const detail = JSON.parse(sweepFinishedEntry(response).Detail) as SweepFinishedDetail;

    expect(detail).toMatchObject({ truncated: false, unexpectedIds: '1-5' });
  });
});
