import { describe, expect, it } from 'vitest';
import { layoutFor, renderIdMap, renderIdMapPage } from '../../lambda/idmap/index.js';
import { forEachSpan } from '../../lambda/idmap/spans.js';
import { met, sweepOf } from '../support/id-map-sweeps.js';

/** The title of every rect, in order. */
const titles = (html: string): string[] =>
  [...html.matchAll(/<rect x="[^"]*"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1] ?? '');
/** The rect whose title starts with `ids` ("1026-1030:"), with the classes it is drawn with. */
function cell(html: string, ids: string): { classes: string; title: string } {
  const svg = html.slice(html.indexOf('<svg class="cells"'));
  const at = svg.indexOf(`<title>${ids}:`);
  if (at < 0) throw new Error(`no cell titled ${ids}`);
  const rectAt = svg.lastIndexOf('<rect', at);
  const own = /class="([^"]*)"/.exec(svg.slice(rectAt, at))?.[1];
  const group = /^<g class="([^"]*)">/.exec(svg.slice(svg.lastIndexOf('<g class=', rectAt)))?.[1];
  const title = svg.slice(at + 7, svg.indexOf('</title>', at));
  return { classes: own ?? group ?? '', title };
}

const small = sweepOf({ start: 1020, end: 1035 }, (id) =>
  id > 1025 ? { key: '404', unexpected: true, newlyUnexpected: id > 1030 } : met,
);

describe('the id map of a small sweep', () => {
  it('draws each run of one outcome as one cell titled with its ids, outcome and change', () => {
    const html = renderIdMap(small);

    expect(titles(html)).toEqual([
      '1020-1025: 200, met',
      '1026-1030: 404, wrong status',
      '1031-1035: 404, wrong status, newly unexpected',
    ]);
    expect(cell(html, '1020-1025').classes).toBe('m4');
    expect(cell(html, '1026-1030').classes).toBe('u4');
    expect(cell(html, '1031-1035').classes).toBe('u4 x');
  });

  it('heads the map with the verdict, range, sweep time, counts per class and changes', () => {
    const html = renderIdMap(small);

    expect(html).toContain('<b>FAILED</b>');
    expect(html).toContain('ids 1020-1035 (16)');
    expect(html).toContain('<time>2026-03-12T06:00:01.513Z</time>');
    expect(html).toMatch(/wrong status <b>10<\/b> \(63%\)/);
    expect(html).toMatch(/met <b>6<\/b> \(38%\)/);
    expect(html).toMatch(/newly unexpected \(black outline\) <b>5<\/b>/);
    expect(html).toMatch(/recovered \(pink outline\) <b>0<\/b>/);
  });

  it('is a self-contained page with no script', () => {
    const page = renderIdMapPage(small);

    expect(page).toMatch(/^<!doctype html><html lang="en">/);
    expect(page).not.toMatch(/<script|src=|href="(?!data:)/i);
  });

  it('escapes whatever a stored response holds', () => {
    const html = renderIdMap(
      sweepOf({ start: 1, end: 2 }, () => ({ key: '<script>x</script>', unexpected: true }), {
        target: '<img src=x onerror=alert(1)>',
        sweepId: '"><svg onload=alert(1)>',
      }),
    );

    expect(html).not.toMatch(/<script|<img|<svg onload/);
    expect(html).toContain('&#60;script&#62;');
  });
});

describe('the id map of a fragmented sweep', () => {
  it('draws one cell per id when every id differs from the next', () => {
    const sweep = sweepOf({ start: 1, end: 200 }, (id) =>
      id % 2 ? met : { key: '404', unexpected: true, recovered: false },
    );

    const html = renderIdMap(sweep);

    expect(titles(html)).toHaveLength(200);
    expect(cell(html, '1')).toEqual({ classes: 'm4', title: '1: 200, met' });
    expect(cell(html, '2')).toEqual({ classes: 'u4', title: '2: 404, wrong status' });
    expect(cell(html, '200').classes).toBe('u4');
  });

  it('gives a cell of many ids the colour of its worst class, paler for a smaller share', () => {
    const sweep = sweepOf({ start: 1, end: 10_000 }, (id) => {
      if (id === 5000) return { key: 'timeout', unexpected: true, newlyUnexpected: true };
      if (id >= 9001 && id <= 9003) return { key: '503', unexpected: true };
      if (id > 9990) return { key: 'notAttempted', unexpected: false };
      return met;
    });

    const html = renderIdMap(sweep);

    expect(layoutFor(sweep.range).idsPerCell).toBe(5);
    expect(cell(html, '4996-5000')).toEqual({
      classes: 'e1 x',
      title: '4996-5000: error 20%, met 80%, 1 newly unexpected',
    });
    expect(cell(html, '9001-9005')).toEqual({
      classes: 'u3',
      title: '9001-9005: wrong status 60%, met 40%',
    });
    expect(cell(html, '9991-10000')).toEqual({ classes: 'n4', title: '9991-10000: not attempted' });
    expect(cell(html, '1-500')).toEqual({ classes: 'm4', title: '1-500: met' });
  });

  it('counts every id of the range in exactly one class', () => {
    const keys = ['200', '404', 'timeout', 'notAttempted', '301'];
    const sweep = sweepOf({ start: 7, end: 12_345 }, (id) => {
      const key = keys[(id * 7) % 5] as string;
      return { key, unexpected: key === '404' || key === 'timeout' };
    });

    const html = renderIdMap(sweep);

    const counts = [...html.matchAll(/<li>.*?<b>([\d,]+)<\/b>/g)].map((m) =>
      Number(m[1]?.replaceAll(',', '')),
    );
    expect(html).toContain('ids 7-12345 (12,339)');
    expect(counts.reduce((a, b) => a + b, 0)).toBe(sweep.total);
  });
});

describe('what a response may add or lack', () => {
  it('draws wrong content, slowness and flaky ids when the response reports them', () => {
    const sweep = {
      ...sweepOf({ start: 1, end: 10 }, (id) =>
        id <= 6 ? met : { key: id <= 8 ? 'content' : id === 9 ? 'slow' : '200', unexpected: true },
      ),
      unexpectedReasons: { status: 1, content: 2, slow: 1, error: 0 },
      flakyIds: '2',
    };

    const html = renderIdMap(sweep);

    expect(titles(html)).toEqual([
      '1: 200, met',
      '2: 200, flaky',
      '3-6: 200, met',
      '7-8: wrong content',
      '9: too slow',
      '10: 200, wrong status',
    ]);
    expect(html).toMatch(/flaky <b>1<\/b>/);
  });

  it('draws statuses unjudged, and says so, when the response does not name unexpected ids', () => {
    const { unexpectedIds: _, ...old } = small;

    const html = renderIdMap(old);

    expect(cell(html, '1020-1025').classes).toBe('j4');
    expect(html).toContain('does not say which ids were unexpected');
  });

  it('says there is nothing to draw when a large result omitted its ids', () => {
    const { ids: _, ...summary } = small;

    const html = renderIdMap({ ...summary, omitted: ['ids'] });

    expect(html).not.toContain('<svg class="cells"');
    expect(html).toContain('no per-id outcomes');
  });
});

describe('the layout', () => {
  it.each([
    [{ start: 1, end: 100 }, 1, 1],
    [{ start: 1020, end: 1035 }, 1, 1],
    [{ start: 1, end: 2_000 }, 1, 20],
    [{ start: 1, end: 10_000 }, 5, 20],
    [{ start: 1, end: 1_000_000 }, 500, 20],
    [{ start: 0, end: 9_999_999 }, 5_000, 20],
  ])('lays %o out in cells of %i ids, %i rows of 100', (range, idsPerCell, rows) => {
    expect(layoutFor(range)).toMatchObject({ idsPerCell, rows });
  });
});

describe('reading compact forms', () => {
  it.each(['5-3', '3,2', '1,1', '1-2,2', 'a', '1,', ',1', '1--2', '-1'])('refuses "%s"', (form) => {
    expect(() => forEachSpan(form, () => undefined)).toThrow(RangeError);
  });

  it('visits each id and range in order', () => {
    const spans: Array<[number, number]> = [];
    forEachSpan('1-97,99,101-102', (a, b) => spans.push([a, b]));
    expect(spans).toEqual([
      [1, 97],
      [99, 99],
      [101, 102],
    ]);
  });
});
