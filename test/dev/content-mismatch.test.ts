import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUpstream, demoFaultsFrom, startDemoUpstream } from '../../dev/demo-upstream.js';
import { formatJunit, formatMarkdown } from '../../dev/reports.js';
import { formatSummary } from '../../dev/summary.js';
import { changesSince } from '../../lambda/baseline/baseline.js';
import { defaultUnexpected } from '../../lambda/baseline/expected.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers, type SweepHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { closePools } from '../../lambda/sweep/dispatcher.js';
import { parseSpans } from '../../lambda/sweep/range.js';
import { directEvent, lambdaContext } from '../support/events.js';
import { expectAccountedFor, swept } from '../support/sweep-handler.js';

/** The README's PokéAPI rules with the body checks the demo can fail. */
const POKEAPI_CHECKED = [
  {
    ids: '1-1025',
    statuses: ['2xx'],
    body: { json: { '/id': '{id}', '/name': { exists: true } }, contains: '"species"' },
    maxLatencyMs: 5_000,
  },
  { ids: '1026-', statuses: [404] },
];

let upstream: DemoUpstream;
let handlers: SweepHandlers;

beforeAll(async () => {
  upstream = await startDemoUpstream({
    latencyMs: 5,
    jitter: 0,
    ...demoFaultsFrom({ DEMO_WRONG_IDS: '25-27', DEMO_ERROR_IDS: '40' }),
  });
  const config = loadConfig({
    TARGET_URL_TEMPLATE: upstream.urlTemplate,
    TARGET_NAME: 'demo',
    METRICS_MODE: 'off',
  });
  handlers = createHandlers(config, { log: () => undefined });
});

afterAll(async () => {
  await closePools();
  await upstream.close();
});

const sweepDemo = async (expect?: unknown): Promise<SweepResponse> =>
  swept(
    await handlers.invoke(
      directEvent({ start: 1, end: 1030, concurrency: 32, ...(expect ? { expect } : {}) }),
      lambdaContext(),
    ),
  );

describe('the demo serving wrong records for a range, swept with the PokéAPI body rules', () => {
  it('ends the wrong ids as content, says why, and keeps the other ids expected', async () => {
    const response = await sweepDemo(POKEAPI_CHECKED);

    expectAccountedFor(response);
    expect(response.ids.content).toBe('25-27,40');
    expect(response.unexpectedIds).toBe('25-27,40');
    expect(response.unexpectedReasons).toEqual({ status: 0, content: 4, slow: 0, error: 0 });
    expect(response.statuses).toEqual({ '200': 1025, '404': 5 });
    expect(response.unexpectedSamples.content).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id 2[5-7]: \/id is 2[6-8], expected 2[5-7]$/),
      ]),
    );
    expect(response.verdictReasons).toContain("4 ids failed their rule's body checks");
  });

  it('shows the mismatch in the summary, JUnit and Markdown, and as 200→content since a baseline', async () => {
    const before = await sweepDemo([{ ids: '1-1025', statuses: ['2xx'] }, POKEAPI_CHECKED[1]]);
    const now = await sweepDemo(POKEAPI_CHECKED);

    const summary = formatSummary(now);
    const junit = formatJunit(now, POKEAPI_CHECKED);
    const markdown = formatMarkdown(now);
    const changes = changesSince(
      { range: now.range, ids: now.ids, unexpected: parseSpans(now.unexpectedIds) },
      before,
      defaultUnexpected,
    );

    expect(summary).toMatch(/checks +content +×4 +25-27,40/);
    expect(summary).toMatch(/why +id \d+: /);
    expect(junit).toContain('name="ids 1-1025 → 2xx + body, ≤ 5000 ms"');
    expect(junit).toMatch(/25-27 got content ×3/);
    expect(junit).toMatch(/id 2[5-7]: \/id is 2[6-8], expected 2[5-7]/);
    expect(markdown).toContain('| why | content ×4 |');
    expect(changes.transitions).toEqual({ '200→content': '25-27,40' });
    expect(changes.newlyUnexpected).toEqual({ count: 4, ids: '25-27,40' });
  });
});
