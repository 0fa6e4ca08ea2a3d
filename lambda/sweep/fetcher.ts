import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { classifyError } from './classify.js';
import { ErrorKind, type Outcome } from './outcome.js';

/**
 * Bodies up to this size are read through and discarded, so the connection is reused; a larger
 * one (by Content-Length, or once this many bytes arrived) has its socket closed instead, which
 * costs a reconnect but neither buffers it nor lets it stall the sweep. undici's own dump() limit
 * is 128 KiB; PokéAPI's pokemon documents run to a few hundred KiB, so 1 MiB keeps them pooled.
 */
export const BODY_DRAIN_LIMIT_BYTES = 1_048_576;

const REQUEST_HEADERS = { 'user-agent': 'status-sweep/0.1', accept: '*/*' } as const;

/** Why an attempt was aborted: its own timer, or the sweep ending. */
export const AbortReason = {
  timeout: 'attempt-timeout',
  deadline: 'sweep-deadline',
} as const;
type AbortReason = (typeof AbortReason)[keyof typeof AbortReason];

export interface AttemptResult {
  readonly outcome: Outcome;
  /** From the request's start to the end of its body; set when a status arrived. */
  readonly latencyMs?: number;
  readonly retryAfter?: string | string[];
}

/**
 * One GET: resolves with the status (body drained or dropped) or the error kind, never rejects.
 * `inflight` holds the attempt's controller so that the sweep can abort it at the deadline.
 */
export async function attempt(
  dispatcher: Dispatcher,
  path: string,
  timeoutMs: number,
  inflight: Set<AbortController>,
): Promise<AttemptResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(AbortReason.timeout), timeoutMs);
  inflight.add(controller);
  const startedAt = performance.now();
  try {
    const response = await dispatcher.request({
      path,
      method: 'GET',
      headers: REQUEST_HEADERS,
      signal: controller.signal,
    });
    await drain(response.body, response.headers);
    return {
      outcome: { kind: 'status', status: response.statusCode },
      latencyMs: performance.now() - startedAt,
      retryAfter: response.headers['retry-after'],
    };
  } catch (error) {
    return { outcome: { kind: 'error', error: failureKind(controller.signal, error) } };
  } finally {
    clearTimeout(timer);
    inflight.delete(controller);
  }
}

/** Reads and discards the body up to the drain limit; closes the socket beyond it. */
async function drain(body: Dispatcher.ResponseData['body'], headers: IncomingHttpHeaders) {
  if (Number(headers['content-length']) > BODY_DRAIN_LIMIT_BYTES) {
    body.destroy();
    return;
  }
  let bytes = 0;
  for await (const chunk of body) {
    bytes += (chunk as Buffer).length;
    if (bytes > BODY_DRAIN_LIMIT_BYTES) {
      body.destroy();
      return;
    }
  }
}

function failureKind(signal: AbortSignal, error: unknown) {
  if (signal.aborted) {
    return (signal.reason as AbortReason) === AbortReason.deadline
      ? ErrorKind.aborted
      : ErrorKind.timeout;
  }
  return classifyError(error);
}
