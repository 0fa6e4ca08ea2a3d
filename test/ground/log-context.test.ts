import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { UNREACHABLE_CLOUDWATCH } from '../support/cloudwatch-endpoint.js';
import { lambdaContext, postSweeps } from '../support/events.js';

let upstream: DemoUpstream;
beforeAll(async () => {
  upstream = await startDemoUpstream({ latencyMs: 5 });
});
afterAll(() => upstream?.close());

/** Every line written to stdout while `act` runs, parsed. */
async function linesWrittenBy(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('log lines of an invocation', () => {
  it('carry its request id, cold start and function name, the 500 line included, even when two overlap', async () => {
    // The deployed writer (no log hook); CloudWatch unreachable, so the sweep also logs the
    // fallback's cause and its EMF document. Ids from 100 fail after the sweep, a bug: a 500.
    const { invoke, http } = createHandlers(
      loadConfig({
        TARGET_URL_TEMPLATE: upstream.urlTemplate,
        ...UNREACHABLE_CLOUDWATCH,
      }),
      {
        onAggregate: (aggregate) => {
          if (aggregate.range.start >= 100) throw new TypeError('a bug after the sweep');
        },
      },
    );
    const cold = lambdaContext({ awsRequestId: 'req-cold' });
    const warm = lambdaContext({ awsRequestId: 'req-warm' });

    let status: number | undefined;
    const lines = await linesWrittenBy(() =>
      Promise.all([
        invoke({ start: 1, end: 20 }, cold),
        http(postSweeps({ start: 100, end: 101 }), warm).then((r) => {
          status = r.statusCode;
        }),
      ]),
    );

    expect(status).toBe(500);
    const messages = lines.map((line) => `${line.message}`);
    expect(messages).toEqual(expect.arrayContaining(['sweep finished', 'internal error']));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).toMatchObject({ functionName: 'status-sweep-local' });
      expect([cold.awsRequestId, warm.awsRequestId]).toContain(line.requestId);
      expect(line.coldStart).toBe(line.requestId === cold.awsRequestId);
    }
    const byMessage = (message: string) => lines.find((line) => line.message === message);
    expect(byMessage('internal error')).toMatchObject({ requestId: 'req-warm', coldStart: false });
    expect(byMessage('sweep finished')).toMatchObject({ requestId: 'req-cold', coldStart: true });
  });
});
