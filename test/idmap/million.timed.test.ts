import { describe, expect, it } from 'vitest';
import { MAX_CELLS, renderIdMapPage } from '../../lambda/idmap/index.js';
import { fragmentedSweep, met, sweepOf } from '../support/id-map-sweeps.js';

/** The bounds: 1,000,000 ids in under a second, into at most ~300 KB. */
const MAX_MS = 1_000;
const MAX_BYTES = 300 * 1024;
const RENDERS = 5;

/** The median wall time of `RENDERS` renders, and the last page. */
function timed(render: () => string): { medianMs: number; page: string } {
  const times: number[] = [];
  let page = '';
  for (let i = 0; i < RENDERS; i++) {
    const started = performance.now();
    page = render();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(RENDERS / 2)] as number, page };
}

describe('the id map of 1,000,000 ids', () => {
  it('renders the most fragmented sweep in under a second into at most 300 KB, no script', () => {
    // Every id differs from the next (200, 404, timeout, not attempted), with changes in every cell.
    const sweep = fragmentedSweep(1_000_000);

    const { medianMs, page } = timed(() => renderIdMapPage(sweep));

    console.info(`1,000,000 fragmented ids: ${Math.round(medianMs)} ms, ${page.length} bytes`);
    expect(medianMs).toBeLessThan(MAX_MS);
    expect(Buffer.byteLength(page)).toBeLessThanOrEqual(MAX_BYTES);
    expect(page.slice(page.indexOf('<svg class="cells"')).match(/<rect x=/g)).toHaveLength(
      MAX_CELLS,
    );
    expect(page).toContain('<title>1-500: error 25%, wrong status 25%, not attempted 25%, met 25%');
    expect(page).not.toMatch(/<script/i);
  });

  it('renders a mostly healthy sweep with a block of 404s as a few rects', () => {
    const sweep = sweepOf({ start: 1, end: 1_000_000 }, (id) =>
      id > 990_000 ? { key: '404', unexpected: true, newlyUnexpected: true } : met,
    );

    const { medianMs, page } = timed(() => renderIdMapPage(sweep));

    expect(medianMs).toBeLessThan(MAX_MS);
    expect(Buffer.byteLength(page)).toBeLessThan(20 * 1024);
    expect(page).toContain('<title>990001-1000000: wrong status, newly unexpected</title>');
  });
});
