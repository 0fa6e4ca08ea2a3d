import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderStore } from '../../dev/folder-store.js';
import { type LocalApi, startLocalApi } from '../../dev/local-api.js';
import { withLocalInvoke } from '../../dev/local-invoke.js';
import { withLocalMaps } from '../../dev/local-maps.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { CLASS_STYLE, MARK_STYLE } from '../../lambda/idmap/index.js';
import { behaviours, type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';

/** Debian's chromium (the `chromium` package), driven by playwright-core. */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`id map browser test skipped: no ${CHROMIUM} (apt-get install chromium)`);
}

/**
 * Two sweeps of one schedule, 1-250: every 16th id answers 404 in both; then 202-207 lose their
 * connection and 230-235 start answering 404 (newly unexpected) while 241-250 stop (recovered).
 */
let phase: 1 | 2 = 1;
let upstream: FaultUpstream;
let api: LocalApi;
let baselines: string;
let mapUrl: string;
beforeAll(async () => {
  upstream = await startFaultUpstream((id) => {
    if (id % 16 === 0) return behaviours.ok(404);
    if (phase === 1) return behaviours.ok(id >= 240 ? 404 : 200);
    if (id >= 202 && id <= 207) return { type: 'reset' };
    return behaviours.ok(id >= 230 && id <= 235 ? 404 : 200);
  });
  baselines = mkdtempSync(join(tmpdir(), 'status-sweep-map-'));
  const config = loadConfig({
    TARGET_URL_TEMPLATE: upstream.urlTemplate,
    TARGET_NAME: 'fault.test',
    METRICS_MODE: 'off',
  });
  const { dispatch, invoke } = createHandlers(config, {
    baselines: folderStore(baselines),
    log: () => undefined,
  });
  api = await startLocalApi({ handler: withLocalMaps(withLocalInvoke(dispatch, invoke)), port: 0 });
  let sweep: SweepResponse | undefined;
  for (const p of [1, 2] as const) {
    phase = p;
    const res = await fetch(`${api.url}/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        start: 1,
        end: 250,
        schedule: 'nightly',
        retries: 0,
        concurrency: 16,
      }),
    });
    sweep = (await res.json()) as SweepResponse;
  }
  mapUrl = `${api.url}/sweeps/${sweep?.sweepId}/map`;
});
afterAll(async () => {
  await api?.close();
  await upstream?.close();
  rmSync(baselines, { recursive: true, force: true });
});

/** "#009e73" → "rgb(0, 158, 115)", as getComputedStyle reports colours. */
const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

describe('the id map in a browser', () => {
  it.skipIf(!haveChromium)(
    'colours and titles the cells of known ids, and logs no console error',
    async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
      try {
        const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
        const problems: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(message.text());
        });
        page.on('pageerror', (error) => problems.push(error.message));

        const response = await page.goto(mapUrl);
        const cells = await page.$$eval('svg.cells rect', (rects) =>
          rects.map((rect) => {
            // Runs in the page: the browser's getComputedStyle (this project's types have no DOM).
            const { getComputedStyle } = globalThis as unknown as {
              getComputedStyle(element: unknown): { fill: string; stroke: string };
            };
            const style = getComputedStyle(rect);
            const box = rect.getBoundingClientRect();
            return {
              title: rect.querySelector('title')?.textContent ?? '',
              fill: style.fill,
              stroke: style.stroke,
              visible: box.width > 0 && box.height > 0,
            };
          }),
        );

        expect(response?.status()).toBe(200);
        expect(problems).toEqual([]);
        const byTitle = new Map(cells.map((cell) => [cell.title, cell]));
        const expectCell = (title: string, fill: string, stroke = 'none') =>
          expect(byTitle.get(title), title).toEqual({
            title,
            fill: rgb(fill),
            stroke,
            visible: true,
          });
        expectCell('1-15: 200, met', CLASS_STYLE.met.colour);
        expectCell('16: 404, wrong status', CLASS_STYLE.status.colour);
        expectCell(
          '202-207: connection, error, newly unexpected',
          CLASS_STYLE.error.colour,
          rgb(MARK_STYLE.newlyUnexpected.colour),
        );
        expectCell(
          '230-235: 404, wrong status, newly unexpected',
          CLASS_STYLE.status.colour,
          rgb(MARK_STYLE.newlyUnexpected.colour),
        );
        expectCell('240: 404, wrong status', CLASS_STYLE.status.colour);
        expectCell(
          '241-250: 200, met, recovered',
          CLASS_STYLE.met.colour,
          rgb(MARK_STYLE.recovered.colour),
        );
        expect(await page.locator('h3').textContent()).toBe('Id map · fault.test · FAILED');
      } finally {
        await browser.close();
      }
    },
  );
});
