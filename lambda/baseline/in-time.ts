import { errorText } from '../ground/error-line.js';
import { InvalidBaselineError } from '../ground/errors.js';
import { DiffTooSlowError } from './diff.js';

/** Time limits of the baseline's read, comparison and write: each within the deadline it serves. */

/**
 * Below this much time a baseline read or write is not tried: an in-region S3 round trip takes
 * tens of ms, a cold TLS handshake about 100 ms more.
 */
export const MIN_BASELINE_BUDGET_MS = 200;
/**
 * A read or write gets this long at most, whatever the deadline (as MAX_PUBLISH_MS for metrics):
 * S3 in-region returns even a 1,000,000-id baseline in well under a second, and a store that
 * accepts and never answers (the SDK sets no request timeout) cannot hold a response for ~29 s.
 */
export const MAX_BASELINE_MS = 5_000;

/**
 * How fast a baseline's text is parsed and checked, conservatively (a loaded 2-core machine does
 * ~50 bytes per µs): the comparison is not begun when the text would take longer than the time
 * left, since JSON.parse cannot be stopped once started. The diff itself watches the clock.
 */
export const PARSE_BYTES_PER_MS = 20_000;

/** Thrown when there is too little time left to try. */
export class NoTimeError extends Error {
  override readonly name = 'NoTimeError';
}

/** Runs `task` with a signal that aborts at `by`, and gives up at `by` even if it does not. */
export async function withDeadline<T>(
  by: number,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const budget = Math.min(MAX_BASELINE_MS, Math.floor(by - Date.now()));
  if (budget < MIN_BASELINE_BUDGET_MS) {
    throw new NoTimeError(`${Math.max(0, budget)} ms left, ${MIN_BASELINE_BUDGET_MS} ms needed`);
  }
  const signal = AbortSignal.timeout(budget);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([task(signal), aborted]);
  } finally {
    // Settled in time: the timeout must not reject a promise no one awaits any more.
    signal.removeEventListener('abort', onAbort);
  }
}

export function failure(error: unknown): 'skipped' | 'failed' {
  return error instanceof NoTimeError ? 'skipped' : 'failed';
}

export function reason(error: unknown): string {
  if (
    error instanceof InvalidBaselineError ||
    error instanceof NoTimeError ||
    error instanceof DiffTooSlowError
  ) {
    return error.message;
  }
  return errorText(error);
}

/** Throws NoTimeError when a baseline text of `chars` would not be parsed and checked by `by`. */
export function checkTimeFor(chars: number, by: number): void {
  const neededMs = Math.ceil(chars / PARSE_BYTES_PER_MS);
  const leftMs = Math.floor(by - Date.now());
  if (neededMs > leftMs) {
    throw new NoTimeError(
      `${Math.max(0, leftMs)} ms left, ~${neededMs} ms needed for its ${(chars / 1e6).toFixed(1)} MB`,
    );
  }
}
