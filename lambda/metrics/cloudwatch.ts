import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';

/** How the one CloudWatch client behaves; our choices, not AWS limits. */
export const CLIENT_SETTINGS = {
  /**
   * Attempts per request, the first included, as the SDK's standard retry mode has it. We retry
   * ourselves, and only when CloudWatch certainly did not store the data (see deliveryOf).
   */
  maxAttempts: 3,
  /** A TCP+TLS connect to a regional endpoint takes tens of ms; a second means it is down. */
  connectionTimeoutMs: 1_000,
  /** PutMetricData answers in well under a second; a request still open after this has failed. */
  requestTimeoutMs: 3_000,
  /** The first retry waits up to this long (full jitter), the second twice as long. */
  retryBaseMs: 100,
} as const;

/**
 * One client per process, reused by warm invocations. Region, credentials and the endpoint come
 * from the standard AWS settings (`AWS_REGION`, `AWS_ENDPOINT_URL_CLOUDWATCH`, …), read by the SDK.
 * The SDK does not retry (PutMetricData has no idempotency token: a retry after a lost answer
 * stores the data twice), and its requestTimeout throws instead of only logging a warning.
 */
const client = new CloudWatchClient({
  maxAttempts: 1,
  requestHandler: {
    connectionTimeout: CLIENT_SETTINGS.connectionTimeoutMs,
    requestTimeout: CLIENT_SETTINGS.requestTimeoutMs,
    throwOnRequestTimeout: true,
  },
});

/**
 * What a failed PutMetricData means for its data. rejected: CloudWatch answered with an error,
 * so nothing was stored; unsent: no connection was made; unknown: the request may have arrived
 * (a reset or a timeout after sending), so sending it again, or as EMF, could count it twice.
 */
export type Delivery = 'rejected' | 'unsent' | 'unknown';

/** Node's codes for a connection that was never made. */
const UNSENT_CODES: ReadonlySet<unknown> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
/** The SDK's connectionTimeout error, which has no code. */
const CONNECT_TIMEOUT = /did not establish a connection/;
/** Errors CloudWatch answers that a later attempt may not get. */
const TRANSIENT_ANSWER =
  /^(Throttling|ThrottlingException|InternalServiceFault|ServiceUnavailable)/;

export function deliveryOf(cause: unknown): Delivery {
  const error = cause as {
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if ((error?.$metadata?.httpStatusCode ?? 0) >= 400) return 'rejected';
  if (UNSENT_CODES.has(error?.code)) return 'unsent';
  if (typeof error?.message === 'string' && CONNECT_TIMEOUT.test(error.message)) return 'unsent';
  return 'unknown';
}

export interface SendResult {
  /** Requests CloudWatch accepted, in order: batches[0..accepted) are published. */
  readonly accepted: number;
  /** Set when a request failed or the signal aborted it. */
  readonly failure?: {
    readonly reason: string;
    readonly cause: unknown;
    /** How the failed request ended: only an `unknown` one may have reached CloudWatch. */
    readonly delivery: Delivery;
  };
}

/** Sends the batches one after another, stopping at the first failure; never throws. */
export async function sendBatches(
  namespace: string,
  batches: readonly (readonly MetricDatum[])[],
  signal: AbortSignal,
): Promise<SendResult> {
  let accepted = 0;
  for (const batch of batches) {
    // Out of time before this batch left: it certainly never arrived, so it may go to EMF.
    if (signal.aborted) {
      const reason = describeFailure(signal.reason, signal, 1);
      return { accepted, failure: { reason, cause: signal.reason, delivery: 'unsent' } };
    }
    const command = new PutMetricDataCommand({ Namespace: namespace, MetricData: [...batch] });
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(command, { abortSignal: signal });
        accepted++;
        break;
      } catch (cause) {
        const delivery = signal.aborted ? 'unknown' : deliveryOf(cause);
        const retry = attempt < CLIENT_SETTINGS.maxAttempts && worthRetrying(delivery, cause);
        if (!retry || !(await pause(attempt, signal))) {
          const reason = describeFailure(cause, signal, attempt);
          return { accepted, failure: { reason, cause, delivery } };
        }
      }
    }
  }
  return { accepted };
}

/** Only a request that certainly stored nothing is sent again. */
function worthRetrying(delivery: Delivery, cause: unknown): boolean {
  if (delivery === 'unsent') return true;
  return delivery === 'rejected' && TRANSIENT_ANSWER.test((cause as Error)?.name ?? '');
}

/** Full-jitter backoff before attempt `attempt + 1`; false when the signal ends it. */
async function pause(attempt: number, signal: AbortSignal): Promise<boolean> {
  const ms = Math.random() * CLIENT_SETTINGS.retryBaseMs * 2 ** (attempt - 1);
  return sleep(ms, true, { signal }).catch(() => false);
}

function describeFailure(cause: unknown, signal: AbortSignal, attempts: number): string {
  if (signal.aborted) return 'PutMetricData did not finish before the deadline';
  const error = cause instanceof Error ? cause : new Error(String(cause));
  const after = attempts === 1 ? '' : ` after ${attempts} attempts`;
  return `PutMetricData failed${after}: ${unparsedAnswer(error) ?? `${error.name}: ${error.message}`}`;
}

/**
 * An answer that is not AWS JSON (a 413 or 502 from a front end, say) reaches us as the SDK's
 * SyntaxError from parsing it: name the HTTP status instead, which is what happened.
 */
function unparsedAnswer(error: Error): string | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.name !== 'SyntaxError' || status === undefined) return undefined;
  return `CloudWatch answered HTTP ${status} ${STATUS_CODES[status] ?? ''} with a body that is not AWS JSON`.trimEnd();
}
