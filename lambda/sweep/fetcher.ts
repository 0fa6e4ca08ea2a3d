import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { BodyReader } from './body.js';
import { checkSample, type IdCheck, slowness } from './checks.js';
import { classifyError } from './classify.js';
import { errorMessage, OwnFailure } from './error-samples.js';
import { ErrorKind, type Outcome } from './outcome.js';
import {
  type EnginePool,
  failedOnReusedConnection,
  QUEUED_ABORT,
  type QueuedAbortHook,
} from './pool.js';
import type { SweepMethod } from './target.js';

/**
 * Bodies up to this size are read through and discarded, so the connection is reused; a larger
 * one (by Content-Length, or once this many bytes arrived) has its request aborted, which closes
 * the socket and costs a reconnect but neither buffers it nor lets it stall the sweep. undici's
 * own dump() stops at 128 KiB; PokéAPI's pokemon documents run to a few hundred KiB, so 1 MiB
 * keeps them on pooled connections.
 */
export const BODY_DRAIN_LIMIT_BYTES = 1_048_576;

/**
 * The highest status HTTP defines: RFC 9110 §15 gives classes 1xx-5xx only. llhttp accepts any
 * three digits, but a 600 or 999 fits no class, so the id is counted as a protocol error.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15
 */
const MAX_STATUS = 599;

/** What every request carries unless the sweep's own headers say otherwise. */
export const DEFAULT_REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': 'status-sweep/0.1',
  accept: '*/*',
};

/** What every attempt of a sweep sends, built once per sweep. */
export interface RequestShape {
  readonly method: SweepMethod;
  readonly headers: Readonly<Record<string, string>>;
}

/** The defaults with `headers` over them, names lower-cased so that "User-Agent" replaces ours. */
export function requestShape(
  method: SweepMethod = 'GET',
  headers: Readonly<Record<string, string>> = {},
): RequestShape {
  const merged: Record<string, string> = { ...DEFAULT_REQUEST_HEADERS };
  for (const [name, value] of Object.entries(headers)) merged[name.toLowerCase()] = value;
  return { method, headers: merged };
}

/** Why an attempt ended early: its own timer, or the sweep ending. */
export const AbortReason = {
  timeout: 'attempt-timeout',
  deadline: 'sweep-deadline',
} as const;
export type AbortReason = (typeof AbortReason)[keyof typeof AbortReason];

export interface AttemptResult {
  readonly outcome: Outcome;
  /** From the request's start to the end of its body; set when a status arrived. */
  readonly latencyMs?: number;
  readonly retryAfter?: string | string[];
  /** Failed on a reused connection before any response byte: safe to send again at once. */
  readonly resendable?: boolean;
  /** For an error: what the failure said (error-samples.ts), never a stack; for a check, why. */
  readonly message?: string;
  /** With phases on and a status: request written → first response byte → end of body. */
  readonly phases?: AttemptPhases;
}

/** The phases of one request on its connection (connect and TLS are the connection's: pool.ts). */
export interface AttemptPhases {
  readonly firstByteMs: number;
  readonly bodyMs: number;
}

/** What an attempt judges beyond its status: the id, its rule's checks, whether to time phases. */
export interface AttemptChecks {
  readonly id: number;
  readonly check?: IdCheck;
  readonly phases?: boolean;
}

/** Ends an attempt early; the sweep holds one per attempt in flight. */
export interface Abortable {
  abort(reason: AbortReason): void;
}

/** The error an attempt aborts its own request with once the body passed the drain limit. */
class BodyLimitReached extends Error {
  override readonly name = 'BodyLimitReached';
}

/**
 * One attempt as an undici dispatch handler: status and headers are kept, body bytes are
 * counted and dropped as they arrive (no stream, no buffer), and exactly one result is delivered.
 * undici's request() would add a Readable and an AbortSignal listener per request; without them
 * the engine needs less CPU per request than a bare request() loop (BENCHMARKS.md, item 3).
 */
class AttemptHandler implements Dispatcher.DispatchHandler, Abortable {
  readonly #startedAt = performance.now();
  readonly #deliver: (result: AttemptResult) => void;
  #controller: Dispatcher.DispatchController | undefined;
  /** Takes the request out of the queue it waits in for a connection (Pool's, then Client's). */
  #dequeue: ((reason: Error) => void) | undefined;
  #abortedFor: AbortReason | undefined;
  #done = false;
  #status = 0;
  #retryAfter: string | string[] | undefined;
  #bytes = 0;
  readonly #checks: AttemptChecks | undefined;
  /** The id's rule accepted the status: its checks apply. */
  #accepted: IdCheck | undefined;
  #body: BodyReader | undefined;
  #sentAt = 0;
  #firstByteAt = 0;

  constructor(deliver: (result: AttemptResult) => void, checks?: AttemptChecks) {
    this.#deliver = deliver;
    this.#checks = checks;
  }

  /**
   * Ends the attempt now. A request still waiting for a connection leaves its queue, so that a
   * warm pool keeps no dead attempt (nor a connect begun for one); one undici is handing to a
   * connection at this instant is cut when it starts.
   */
  abort(reason: AbortReason): void {
    if (this.#done || this.#abortedFor) return;
    this.#abortedFor = reason;
    if (this.#controller) {
      this.#controller.abort(new Error(reason));
    } else {
      this.#dequeue?.(new Error(reason));
      this.#finishAborted(reason);
    }
  }

  /** undici's kQueuedAbort hook: called each time the request joins a queue. */
  readonly onQueued: QueuedAbortHook = (dequeue) => {
    this.#dequeue = dequeue;
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#checks?.phases) this.#sentAt = performance.now();
    this.#dequeue = undefined;
    if (this.#abortedFor) controller.abort(new Error(this.#abortedFor));
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return; // 1xx: informational, the final status follows
    this.#status = statusCode;
    this.#retryAfter = headers['retry-after'];
    if (this.#checks?.phases) this.#firstByteAt = performance.now();
    const check = this.#checks?.check;
    if (check?.accepts(statusCode)) {
      this.#accepted = check;
      if (check.body) this.#body = new BodyReader(check.body);
      if (this.#body?.start(headers) === false) controller.abort(new BodyLimitReached());
    }
    if (Number(headers['content-length']) > BODY_DRAIN_LIMIT_BYTES) {
      controller.abort(new BodyLimitReached());
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#bytes += chunk.length;
    if (this.#body?.add(chunk) === false || this.#bytes > BODY_DRAIN_LIMIT_BYTES) {
      controller.abort(new BodyLimitReached());
    }
  }

  onResponseEnd(): void {
    this.#finishWithStatus();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (error instanceof BodyLimitReached) {
      this.#finishWithStatus();
    } else if (this.#abortedFor) {
      this.#finishAborted(this.#abortedFor);
    } else {
      const resendable = this.#status === 0 && failedOnReusedConnection(error);
      this.#finishWithError(classifyError(error), errorMessage(error), resendable);
    }
  }

  #finishWithStatus(): void {
    if (this.#status > MAX_STATUS) {
      this.#finishWithError(ErrorKind.protocol, OwnFailure.statusOutOfRange);
      return;
    }
    if (this.#done) return;
    this.#done = true;
    const endedAt = performance.now();
    const latencyMs = endedAt - this.#startedAt;
    const phases = this.#checks?.phases
      ? { firstByteMs: this.#firstByteAt - this.#sentAt, bodyMs: endedAt - this.#firstByteAt }
      : undefined;
    const result = { latencyMs, retryAfter: this.#retryAfter, ...(phases && { phases }) };
    this.#deliver({ ...result, ...this.#judge(latencyMs) });
  }

  /** The outcome of an answer with a status: the status, or the first check of its rule it fails. */
  #judge(latencyMs: number): Pick<AttemptResult, 'outcome' | 'message'> {
    const status = this.#status;
    const check = this.#accepted;
    const id = this.#checks?.id ?? 0;
    const content = this.#body?.end(id);
    if (content !== undefined) {
      return {
        outcome: { kind: 'check', check: 'content', status },
        message: checkSample(id, content),
      };
    }
    const max = check?.maxLatencyMs;
    if (max !== undefined && latencyMs > max) {
      const message = checkSample(id, slowness(latencyMs, max));
      return { outcome: { kind: 'check', check: 'slow', status }, message };
    }
    return { outcome: { kind: 'status', status } };
  }

  #finishAborted(reason: AbortReason): void {
    if (reason === AbortReason.deadline) {
      this.#finishWithError(ErrorKind.aborted, OwnFailure.deadline);
    } else {
      this.#finishWithError(ErrorKind.timeout, OwnFailure.timeout);
    }
  }

  #finishWithError(error: ErrorKind, message: string, resendable = false): void {
    if (this.#done) return;
    this.#done = true;
    this.#deliver({
      outcome: { kind: 'error', error },
      message,
      ...(resendable && { resendable }),
    });
  }
}

/**
 * One request within `timeoutMs` (connect, headers and body): resolves with the status (body
 * dropped, unless the id's rule checks it) or the error kind, never rejects. `inflight` holds the attempt while it runs so that
 * the sweep can abort it at its deadline.
 */
export function attempt(
  dispatcher: Pick<EnginePool, 'dispatch'>,
  shape: RequestShape,
  path: string,
  timeoutMs: number,
  inflight: Set<Abortable>,
  checks?: AttemptChecks,
): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const handler = new AttemptHandler((result) => {
      clearTimeout(timer);
      inflight.delete(handler);
      resolve(result);
    }, checks);
    const timer = setTimeout(() => handler.abort(AbortReason.timeout), timeoutMs);
    inflight.add(handler);
    try {
      const { method, headers } = shape;
      dispatcher.dispatch({ path, method, headers, [QUEUED_ABORT]: handler.onQueued }, handler);
    } catch (error) {
      handler.onResponseError(undefined as never, error as Error);
    }
  });
}
