import { format } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDemoUpstream } from '../../dev/demo-upstream.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { UNREACHABLE_CLOUDWATCH } from '../support/cloudwatch-endpoint.js';
import { lambdaContext } from '../support/events.js';

/**
 * What the Node runtime does to console output under the JSON log format
 * (aws-lambda-nodejs-runtime-interface-client, LogPatch.js): each console call becomes one line
 * `{"timestamp","level","requestId","message"}` with the arguments formatted into `message`.
 */
function patchConsoleLikeLambda(requestId: string): void {
  const levels = {
    log: 'INFO',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
    debug: 'DEBUG',
  } as const;
  for (const [method, level] of Object.entries(levels)) {
    vi.spyOn(console, method as keyof typeof levels).mockImplementation((...args: unknown[]) => {
      const line = {
        timestamp: new Date().toISOString(),
        level,
        requestId,
        message: format(...args),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    });
  }
}

afterEach(() => vi.restoreAllMocks());

describe('logs under the JSON log format', () => {
  it('writes every line as a top-level JSON object, the sweep summary fields included', async () => {
    const upstream = await startDemoUpstream({ latencyMs: 0 });
    const written: string[] = [];
    try {
      const context = lambdaContext();
      patchConsoleLikeLambda(context.awsRequestId);
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      // The deployed log writer (no hooks), and a metrics fallback that logs its cause and EMF.
      const { invoke } = createHandlers(
        loadConfig({
          TARGET_URL_TEMPLATE: upstream.urlTemplate,
          ...UNREACHABLE_CLOUDWATCH,
        }),
      );

      await invoke({ start: 1, end: 5 }, context);
    } finally {
      vi.restoreAllMocks();
      await upstream.close();
    }

    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      const parsed: unknown = JSON.parse(line);
      expect(typeof parsed).toBe('object');
      expect(Array.isArray(parsed)).toBe(false);
    }
    const summary = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'sweep finished');
    expect(summary).toMatchObject({ level: 'INFO', total: 5, statuses: { '200': 5 } });
    expect(typeof summary.sweepId).toBe('string');
  });
});
