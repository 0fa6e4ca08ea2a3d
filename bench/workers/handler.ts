/**
 * The deployed handler (lambda/handler.ts, middy stack and all), configured from this process's
 * environment at import as in Lambda, invoked directly with a sweep's JSON.
 */
import { handler } from '../../lambda/handler.js';
import type { SweepResponse } from '../../lambda/response.js';
import { directEvent, lambdaContext } from '../../test/support/events.js';
import { serveJobs } from '../lib/procs.js';

export interface InvokeJob {
  readonly start: number;
  readonly end: number;
  readonly concurrency: number;
}

export interface InvokeResult {
  readonly ms: number;
  /** CPU time (user + system) of this process during the invocation. */
  readonly cpuMs: number;
  readonly durationMs: number;
  readonly total: number;
  readonly complete: boolean;
  readonly statuses: Record<string, number>;
}

serveJobs(async (job: InvokeJob): Promise<InvokeResult> => {
  // A direct invoke, not an HTTP API event: the API path stops a sweep at 28 s (API Gateway's
  // limit), and one by one, 100 ids at 400 ms take 40 s.
  const event = directEvent({ ...job, retries: 0 });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = (await handler(event, lambdaContext({ remainingMs: 900_000 }))) as SweepResponse;
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const { durationMs, total, complete, statuses } = response;
  return { ms, cpuMs, durationMs, total, complete, statuses: { ...statuses } };
});
