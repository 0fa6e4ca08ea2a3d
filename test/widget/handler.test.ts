import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CustomWidgetEvent } from '../../lambda/widget/event.js';
import { s3BaselineReader } from '../../lambda/widget/read-baseline.js';
import { createIdMapWidget } from '../../lambda/widget/widget.js';
import { lambdaContext } from '../support/events.js';
import { met, sweepOf } from '../support/id-map-sweeps.js';
import { type S3Endpoint, startS3Endpoint } from '../support/s3-endpoint.js';

const BUCKET = 'status-sweep-results';
const ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  RESULTS_BUCKET: BUCKET,
  SCHEDULE_NAMES: 'kanto,johto',
};

/**
 * A custom widget's event as CloudWatch sends it: the widget's params at the top level and in
 * widgetContext.params, with the documented context.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_about.html
 */
function widgetEvent(params: Record<string, unknown>): CustomWidgetEvent {
  return {
    ...params,
    widgetContext: {
      dashboardName: 'StatusSweep-Dashboard',
      widgetId: 'widget-16',
      accountId: '012345678901',
      locale: 'en',
      timezone: { label: 'UTC', offsetISO: '+00:00', offsetInMinutes: 0 },
      period: 300,
      isAutoPeriod: true,
      timeRange: {
        mode: 'relative',
        start: 1627236199729,
        end: 1627322599729,
        relativeStart: 86400012,
        zoom: { start: 1627276030434, end: 1627282956521 },
      },
      theme: 'light',
      linkCharts: true,
      title: 'Id map: kanto',
      forms: { all: {} },
      params,
      width: 588,
      height: 369,
    },
  };
}

const kanto = sweepOf({ start: 1, end: 151 }, (id) =>
  id >= 98 && id <= 100 ? { key: '404', unexpected: true, newlyUnexpected: true } : met,
);

let s3: S3Endpoint;
let handler: (
  event: CustomWidgetEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<string>;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  s3 = await startS3Endpoint();
  for (const [name, value] of Object.entries({ ...ENV, AWS_ENDPOINT_URL_S3: s3.url })) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  s3.objects.set(`${BUCKET}/baselines/kanto.json`, JSON.stringify(kanto));
  // The deployed entry point, configured at import from the environment as at a cold start.
  ({ handler } = await import('../../lambda/widget/handler.js'));
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await s3.close();
});

describe('the id map widget, over the S3 wire protocol', () => {
  it("answers the schedule's latest sweep as its id map", async () => {
    const html = await handler(widgetEvent({ schedule: 'kanto' }), lambdaContext());

    expect(html).toMatch(/^<div class="idmap">/);
    expect(html).toContain('<title>98-100: 404, wrong status, newly unexpected</title>');
    expect(html).toContain('<title>1-97: 200, met</title>');
    expect(html).toContain('ids 1-151 (151)');
    expect(html).not.toMatch(/<script/i);
    expect(s3.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `${BUCKET}/baselines/kanto.json`,
    });
  });

  it('reads the schedule from widgetContext.params too', async () => {
    const event = widgetEvent({ schedule: 'kanto' });
    const { schedule: _, ...contextOnly } = event;

    const html = await handler(contextOnly, lambdaContext());

    expect(html).toContain('<title>98-100:');
  });

  it('says a deployed schedule has no sweep yet', async () => {
    const html = await handler(widgetEvent({ schedule: 'johto' }), lambdaContext());

    expect(html).toContain('Schedule &#34;johto&#34; has no sweep yet (no baselines/johto.json)');
  });

  it.each([
    [{ schedule: 'hoenn' }, 'the schedule &#34;hoenn&#34;, which is not deployed'],
    [{ schedule: '../results/x' }, 'which is not deployed'],
    [{}, 'names no schedule'],
  ])('refuses %o without reading anything', async (params, text) => {
    const before = s3.requests.length;

    const html = await handler(widgetEvent(params), lambdaContext());

    expect(html).toContain(text);
    expect(html).toContain('(kanto, johto)');
    expect(s3.requests).toHaveLength(before);
  });

  it('names what a stored document lacks, and never shows a stack', async () => {
    s3.objects.set(`${BUCKET}/baselines/johto.json`, JSON.stringify({ sweepId: 'x', ids: 3 }));

    const html = await handler(widgetEvent({ schedule: 'johto' }), lambdaContext());
    s3.objects.delete(`${BUCKET}/baselines/johto.json`);

    expect(html).toContain(
      'not a sweep response the map can draw: range, ids missing or malformed',
    );
    expect(html).not.toMatch(/\bat \S+:\d+/);
  });

  it('says why a stored sweep cannot be drawn, and logs it with the invocation id', async () => {
    s3.objects.set(
      `${BUCKET}/baselines/johto.json`,
      JSON.stringify({ ...kanto, ids: { '200': '1-97,99-98', '404': '98' } }),
    );
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const context = lambdaContext({ awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' });

    const html = await handler(widgetEvent({ schedule: 'johto' }), context).finally(() => {
      write.mockRestore();
      s3.objects.delete(`${BUCKET}/baselines/johto.json`);
    });

    expect(html).toContain('could not be drawn: not ascending ids and ranges at character 10');
    const lines = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'id map widget: not drawn',
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
        schedule: 'johto',
      }),
    );
  });

  it('answers its documentation when CloudWatch asks', async () => {
    const docs = await handler({ describe: true }, lambdaContext());

    expect(docs).toMatch(/^## Status Sweep id map/);
  });
});

describe('the bounds of a read', () => {
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    // Accepts and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const log = () => undefined;

  it('gives up on a bucket that does not answer within the time left, with a message', async () => {
    const s3Client = new S3Client({ endpoint: silentUrl, forcePathStyle: true, maxAttempts: 1 });
    const widget = createIdMapWidget({
      read: s3BaselineReader(BUCKET, { s3: s3Client }),
      schedules: ['kanto'],
      log,
    });
    const started = Date.now();

    const html = await widget(widgetEvent({ schedule: 'kanto' }), 1_800);

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(html).toContain('did not answer within 800 ms');
  });

  it('refuses a baseline larger than its bound, reading no further', async () => {
    const widget = createIdMapWidget({
      read: s3BaselineReader(BUCKET, { maxBytes: 100 }),
      schedules: ['kanto'],
      log,
    });

    const html = await widget(widgetEvent({ schedule: 'kanto' }), 10_000);

    expect(html).toContain('baselines/kanto.json is larger, over the widget&#39;s 0.0 MB');
  });

  it('logs a failed read with its stack and shows only its name', async () => {
    const lines: unknown[] = [];
    const widget = createIdMapWidget({
      read: async () => {
        throw new TypeError('socket hang up');
      },
      schedules: ['kanto'],
      log: (line) => lines.push(line),
    });

    const html = await widget(widgetEvent({ schedule: 'kanto' }), 10_000);

    expect(html).toContain('could not be read: TypeError (logged)');
    expect(html).not.toContain('socket hang up');
    expect(JSON.stringify(lines)).toContain('socket hang up');
  });
});
