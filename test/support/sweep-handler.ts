import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { expect } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { loadConfig } from '../../lambda/config.js';
import { createHandler } from '../../lambda/handler.js';
import type { SweepResponse } from '../../lambda/response.js';
import { partitionsRange } from '../../lambda/sweep/range.js';

export interface HandlerUnderTest {
  readonly handler: ReturnType<typeof createHandler>;
  readonly upstream: DemoUpstream;
  /** The summary lines the handler logged. */
  readonly logs: string[];
  close(): Promise<void>;
}

/** The real handler against a demo upstream on loopback that answers at once; metrics off. */
export async function handlerOnLoopback(
  env: Record<string, string> = {},
  upstreamLatencyMs = 0,
): Promise<HandlerUnderTest> {
  const upstream = await startDemoUpstream({ latencyMs: upstreamLatencyMs, jitter: 0 });
  const logs: string[] = [];
  const config = loadConfig({
    TARGET_URL_TEMPLATE: upstream.urlTemplate,
    TARGET_NAME: 'demo',
    METRICS_MODE: 'off',
    ...env,
  });
  const handler = createHandler(config, { log: (line) => logs.push(line) });
  return { handler, upstream, logs, close: () => upstream.close() };
}

/** The parsed JSON body of an HTTP API result, asserting it is JSON. */
export function jsonBody(result: unknown): unknown {
  const { body, headers } = result as APIGatewayProxyStructuredResultV2;
  expect(String(headers?.['Content-Type'])).toMatch(/^application\/json/);
  return JSON.parse(String(body));
}

/** The contract's invariant: every id is counted once and its ranges partition the range. */
export function expectAccountedFor(response: SweepResponse): void {
  const sum = (r: Readonly<Record<string, number>>) => Object.values(r).reduce((a, b) => a + b, 0);
  expect(sum(response.statuses) + sum(response.errors) + response.notAttempted).toBe(
    response.total,
  );
  expect(response.total).toBe(response.range.end - response.range.start + 1);
  expect(partitionsRange(Object.values(response.ids), response.range)).toBe(true);
}
