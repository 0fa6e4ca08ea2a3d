/**
 * The deployed handler module (lambda/handler.ts), configured from this process's environment at
 * import as in Lambda, invoked directly with a sweep's JSON through its schedule/invoke entry point.
 */
import { lambdaContext } from '../../dev/lambda-context.js';
import { invoke } from '../../lambda/handler.js';
import { isRunAccepted } from '../../lambda/sweeper.js';
import { directEvent } from '../../test/support/events.js';
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
  const response = await invoke(event, lambdaContext({ remainingMs: 900_000 }));
  const ms = performance.now() - started;
  if (isRunAccepted(response)) throw new Error('a bench sweep must fit one invocation');
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const { durationMs, total, complete, statuses } = response;
  return { ms, cpuMs, durationMs, total, complete, statuses: { ...statuses } };
});
