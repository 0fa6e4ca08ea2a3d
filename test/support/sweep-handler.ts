import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { expect } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import type { RunAccepted } from '../../lambda/distributed/messages.js';
import { createHandlers, type SweepHandlers } from '../../lambda/entry/handler.js';
import { isRunAccepted, type SweepOutcome } from '../../lambda/entry/sweeper.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { partitionsRange } from '../../lambda/sweep/range.js';

/** The sweep function's typed entry points (http, invoke, shard) and its Lambda export (dispatch). */
export interface HandlerUnderTest extends SweepHandlers {
  readonly upstream: DemoUpstream;
  /** The lines the handler logged, each as its JSON text. */
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
  const handlers = createHandlers(config, { log: (line) => logs.push(JSON.stringify(line)) });
  return { ...handlers, upstream, logs, close: () => upstream.close() };
}

/** The parsed JSON body of an HTTP API result, asserting it is JSON. */
export function jsonBody<T = unknown>({ body, headers }: APIGatewayProxyStructuredResultV2): T {
  expect(String(headers?.['Content-Type'])).toMatch(/^application\/json/);
  return JSON.parse(String(body)) as T;
}

/** A run's acceptance, asserting the request was handed to the state machine. */
export function runStarted(outcome: SweepOutcome): RunAccepted {
  if (!isRunAccepted(outcome))
    throw new Error(`expected a run, got finished sweep ${outcome.sweepId}`);
  return outcome;
}

/** A finished sweep's response, asserting the request was not handed to a run. */
export function swept(outcome: SweepOutcome): SweepResponse {
  if (isRunAccepted(outcome))
    throw new Error(`expected a finished sweep, got run ${outcome.sweepId}`);
  return outcome;
}

/**
 * The contract's invariants: every id is counted once, its ranges partition the range, and every
 * attempted id is either expected or unexpected.
 */
export function expectAccountedFor(response: SweepResponse): void {
  const sum = (r: Readonly<Record<string, number>>) => Object.values(r).reduce((a, b) => a + b, 0);
  expect(sum(response.statuses) + sum(response.errors) + response.notAttempted).toBe(
    response.total,
  );
  expect(response.total).toBe(response.range.end - response.range.start + 1);
  expect(partitionsRange(Object.values(response.ids), response.range)).toBe(true);
  expect(response.expected + response.unexpected).toBe(response.total - response.notAttempted);
}
