import { describe, expect, it } from 'vitest';
import type { ExpectRule } from '../../lambda/ground/expect-rules.js';
import { sweep } from '../../lambda/sweep/sweep.js';
import { checksFor } from '../../lambda/verdict/checks.js';
import { compileExpectations } from '../../lambda/verdict/expectations.js';
import { judge } from '../../lambda/verdict/verdict.js';
import { countsAddUp } from '../support/fault-tour.js';
import { type Behaviour, startFaultUpstream, type Transport } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';

const engine = useLoopbackEngine();

/** Generous on a loaded 2-core machine: a normal loopback answer stays far below it. */
const MAX_LATENCY_MS = 1_500;
const SLOW_MS = 2_500;
const CAP_BYTES = 2_048;

const RULES: ExpectRule[] = [
  {
    ids: '1-19',
    statuses: ['2xx'],
    body: { json: { '/id': '{id}', '/name': { exists: true } }, maxBodyBytes: CAP_BYTES },
    maxLatencyMs: MAX_LATENCY_MS,
  },
  { ids: '20-', statuses: [404] },
];

const json = (body: unknown, delayMs = 0): Behaviour => ({
  type: 'status',
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  delayMs,
});

/** Each id's answer and the outcome it must end in. */
const SCRIPT: Record<number, { answer: Behaviour; outcome: string }> = {
  1: { answer: json({ id: 1, name: 'bulbasaur' }), outcome: '200' },
  2: { answer: json({ id: '2', name: 'ivysaur' }), outcome: '200' },
  3: { answer: json({ id: 26, name: 'raichu' }), outcome: 'content' },
  4: { answer: json({ error: 'not found' }), outcome: 'content' },
  5: { answer: { type: 'status', status: 200, body: '<html>oops</html>' }, outcome: 'content' },
  6: { answer: json({ id: 6, name: 'charizard' }, SLOW_MS), outcome: 'slow' },
  7: { answer: { type: 'huge', bytes: 64 * 1024, contentLength: true }, outcome: 'content' },
  8: { answer: { type: 'huge', bytes: 64 * 1024, contentLength: false }, outcome: 'content' },
  9: { answer: { type: 'status', status: 404, body: 'Not Found' }, outcome: '404' },
  // Wrong content and slow: the content is the reason.
  10: { answer: json({ id: 11, name: 'metapod' }, SLOW_MS), outcome: 'content' },
  20: { answer: { type: 'status', status: 404, body: 'Not Found' }, outcome: '404' },
};

async function sweepChecked(transport: Transport) {
  const tls = transport === 'h1' ? undefined : engine.certs().valid;
  const upstream = engine.closeAfter(
    await startFaultUpstream((id) => SCRIPT[id]?.answer ?? json({ id, name: `n${id}` }), {
      transport,
      tls,
      latencyMs: 5,
    }),
  );
  const expectations = compileExpectations(RULES);
  const aggregate = await sweep({
    range: { start: 1, end: 20 },
    urlTemplate: upstream.urlTemplate,
    concurrency: 8,
    timeoutMs: 10_000,
    retries: 0,
    checkFor: checksFor(expectations),
  });
  return { aggregate, verdict: judge(aggregate, expectations, { failedBelowPercent: 0 }) };
}

describe.each(['h1', 'tls', 'h2'] as const)('body and latency checks over %s', (transport) => {
  it('ends each id in one outcome with its reason: wrong id, error JSON, slow, over the cap', async () => {
    const { aggregate, verdict } = await sweepChecked(transport);

    const outcomeOf = (id: number) =>
      Object.entries(aggregate.ids).find(([, form]) =>
        form.split(',').some((part) => {
          const [a, b = a] = part.split('-').map(Number);
          return id >= (a as number) && id <= (b as number);
        }),
      )?.[0];
    for (const [id, { outcome }] of Object.entries(SCRIPT)) {
      expect(`${id}: ${outcomeOf(Number(id))}`).toBe(`${id}: ${outcome}`);
    }
    expect(countsAddUp(aggregate)).toBe(20);
    // The statuses still count what HTTP said: the checked ids got 200s.
    expect(aggregate.statuses).toEqual({ '200': 18, '404': 2 });
    expect(verdict.unexpectedReasons).toEqual({ status: 1, content: 6, slow: 1, error: 0 });
    expect(verdict.unexpected).toBe(8);
    expect(verdict.unexpectedIds).toBe('3-10');
    expect(verdict.unexpectedSamples.status).toEqual(['id 9: 404, expected 2xx']);
    const said = [
      'id 3: /id is 26, expected 3',
      'id 4: /id is missing, expected 4',
      'id 5: body is not JSON',
      `id 7: body over 2,048 bytes`,
      `id 8: body over 2,048 bytes`,
      'id 10: /id is 11, expected 10',
    ];
    // Three samples are kept, in the order the ids settled.
    expect(verdict.unexpectedSamples.content).toHaveLength(3);
    for (const sample of verdict.unexpectedSamples.content ?? []) expect(said).toContain(sample);
    expect(verdict.unexpectedSamples.slow?.[0]).toMatch(/^id 6: \d{1},\d{3} ms > 1,500 ms$/);
  });
});

describe('a body over the cap', () => {
  it('is a content mismatch that says the cap, and is never buffered past it', async () => {
    const rules: ExpectRule[] = [{ statuses: ['2xx'], body: { contains: 'x', maxBodyBytes: 100 } }];
    const upstream = engine.closeAfter(
      await startFaultUpstream(() => ({
        type: 'huge',
        bytes: 8 * 1024 * 1024,
        contentLength: false,
      })),
    );
    const started = performance.now();
    const capped = await sweep({
      range: { start: 1, end: 4 },
      urlTemplate: upstream.urlTemplate,
      concurrency: 4,
      timeoutMs: 10_000,
      retries: 0,
      checkFor: checksFor(compileExpectations(rules)),
    });
    expect(capped.ids).toEqual({ content: '1-4' });
    expect(capped.checkSamples?.content).toContain('id 1: body over 100 bytes');
    // 8 MiB per id would take far longer to read than a cut request takes to end.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('applies only to the ids of rules that check bodies: the others keep counting and dropping', async () => {
    const rules: ExpectRule[] = [
      { ids: '1-2', statuses: ['2xx'], body: { contains: 'x', maxBodyBytes: 1_000 } },
      { ids: '3-', statuses: ['2xx'] },
    ];
    const upstream = engine.closeAfter(
      await startFaultUpstream(() => ({ type: 'huge', bytes: 64 * 1024, contentLength: true })),
    );

    const aggregate = await sweep({
      range: { start: 1, end: 4 },
      urlTemplate: upstream.urlTemplate,
      concurrency: 4,
      timeoutMs: 10_000,
      retries: 0,
      checkFor: checksFor(compileExpectations(rules)),
    });

    expect(aggregate.ids).toEqual({ '200': '3-4', content: '1-2' });
    expect(aggregate.statuses).toEqual({ '200': 4 });
  });
});
