import { afterEach, describe, expect, it } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { closePools } from '../../lambda/sweep/dispatcher.js';
import { lambdaContext, postSweeps } from '../support/events.js';
import { type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';
import { expectAccountedFor, jsonBody } from '../support/sweep-handler.js';

let upstream: FaultUpstream | undefined;
afterEach(async () => {
  await closePools();
  await upstream?.close();
});

const MIB = 1_048_576;
const BUDGET_MS = 1_500;

/**
 * The costliest rule a caller may write: the largest body, a needle built to defeat a naive search
 * over the upstream's bodies of "x", the most pointers on a body that is not JSON.
 */
const HOSTILE = [
  {
    statuses: ['2xx'],
    body: {
      notContains: `${'x'.repeat(255)}y`,
      json: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`/a/${i}`, '{id}'])),
      maxBodyBytes: MIB,
    },
    maxLatencyMs: 1,
  },
];

describe('a hostile rule from a request', () => {
  it('cannot hold a sweep of 1 MiB bodies past its time budget', async () => {
    upstream = await startFaultUpstream(() => ({ type: 'huge', bytes: MIB, contentLength: true }));
    const config = loadConfig({
      TARGET_URL_TEMPLATE: upstream.urlTemplate,
      TARGET_NAME: 'hostile',
      METRICS_MODE: 'off',
    });
    const { http } = createHandlers(config, { log: () => undefined });

    const started = performance.now();
    const result = await http(
      postSweeps({
        start: 1,
        end: 5_000,
        concurrency: 64,
        timeBudgetMs: BUDGET_MS,
        retries: 0,
        expect: HOSTILE,
      }),
      lambdaContext(),
    );
    const tookMs = performance.now() - started;

    expect(result.statusCode).toBe(200);
    const response = jsonBody<SweepResponse>(result);
    expectAccountedFor(response);
    expect(response.complete).toBe(false);
    expect(response.unexpectedReasons.content).toBeGreaterThan(0);
    expect(response.unexpectedSamples.content?.[0]).toMatch(/^id \d+: body is not JSON$/);
    // The budget, plus generous room for a loaded 2-core machine to publish and answer.
    expect(tookMs).toBeLessThan(BUDGET_MS + 2_500);
    console.info(
      `hostile rule, 1 MiB bodies: ${response.attempts} attempts, ${response.unexpectedReasons.content} content, answered in ${Math.round(tookMs)} ms (budget ${BUDGET_MS} ms)`,
    );
  });
});
