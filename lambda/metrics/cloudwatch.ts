import {
  CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';

/** How the one CloudWatch client behaves; our choices, not AWS limits. */
export const CLIENT_SETTINGS = {
  /** Attempts per request, the first included: the SDK's standard retry mode and its default. */
  maxAttempts: 3,
  /** A TCP+TLS connect to a regional endpoint takes tens of ms; a second means it is down. */
  connectionTimeoutMs: 1_000,
  /** PutMetricData answers in well under a second; the deadline's signal bounds the rest. */
  requestTimeoutMs: 3_000,
} as const;

/**
 * One client per process, reused by warm invocations. Region, credentials and the endpoint come
 * from the standard AWS settings (`AWS_REGION`, `AWS_ENDPOINT_URL_CLOUDWATCH`, …), read by the SDK.
 */
const client = new CloudWatchClient({
  retryMode: 'standard',
  maxAttempts: CLIENT_SETTINGS.maxAttempts,
  requestHandler: {
    connectionTimeout: CLIENT_SETTINGS.connectionTimeoutMs,
    requestTimeout: CLIENT_SETTINGS.requestTimeoutMs,
  },
});

export interface SendResult {
  /** Requests CloudWatch accepted, in order: batches[0..accepted) are published. */
  readonly accepted: number;
  /** Set when a request failed (after the SDK's retries) or the signal aborted it. */
  readonly failure?: { readonly reason: string; readonly cause: unknown };
}

/** Sends the batches one after another, stopping at the first failure; never throws. */
export async function sendBatches(
  namespace: string,
  batches: readonly (readonly MetricDatum[])[],
  signal: AbortSignal,
): Promise<SendResult> {
  let accepted = 0;
  for (const batch of batches) {
    try {
      const command = new PutMetricDataCommand({ Namespace: namespace, MetricData: [...batch] });
      await client.send(command, { abortSignal: signal });
      accepted++;
    } catch (cause) {
      return { accepted, failure: { reason: describeFailure(cause, signal), cause } };
    }
  }
  return { accepted };
}

function describeFailure(cause: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'PutMetricData did not finish before the deadline';
  const error = cause instanceof Error ? cause : new Error(String(cause));
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  const after =
    attempts === undefined ? '' : ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  return `PutMetricData failed${after}: ${error.name}: ${error.message}`;
}
