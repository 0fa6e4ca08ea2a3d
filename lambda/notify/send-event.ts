import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { errorText } from '../ground/error-line.js';
import { type LogWriter, writeLog } from '../ground/log.js';
import type { SweepEventEntry } from './sweep-event.js';

/** What happened to a sweep's event: logged with the summary line's fields. */
export interface EventReport {
  /** sent: EventBridge took it; failed: it answered that it did not; unconfirmed: no answer. */
  readonly status: 'sent' | 'failed' | 'unconfirmed' | 'skipped' | 'off';
  readonly reason?: string;
}

/** How the one EventBridge client behaves; our choices, not AWS limits. */
export const EVENT_CLIENT_SETTINGS = {
  /** A TCP+TLS connect to a regional endpoint takes tens of ms; a second means it is down. */
  connectionTimeoutMs: 1_000,
  /** PutEvents answers in well under a second. */
  requestTimeoutMs: 3_000,
} as const;

/** PutEvents gets this long at most, whatever the deadline (as PutMetricData does). */
export const MAX_SEND_MS = 3_000;
/** Below this budget PutEvents is not tried: a round trip and a cold TLS handshake need it. */
export const MIN_EVENT_BUDGET_MS = 200;

/**
 * One client per process, created on first use. Region, credentials and the endpoint come from
 * the standard settings (`AWS_REGION`, `AWS_ENDPOINT_URL_EVENTBRIDGE`). No SDK retry: PutEvents
 * has no idempotency token, so a retry after a lost answer could deliver the event twice.
 */
let client: EventBridgeClient | undefined;
function eventBridge(): EventBridgeClient {
  client ??= new EventBridgeClient({
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: EVENT_CLIENT_SETTINGS.connectionTimeoutMs,
      requestTimeout: EVENT_CLIENT_SETTINGS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  return client;
}

/**
 * PutEvents for one entry on the default bus, once, by `deadline` (epoch ms); never throws and
 * never waits past it: a hung endpoint costs the sweep nothing beyond its own deadline.
 */
export async function sendSweepEvent(
  entry: SweepEventEntry,
  deadline: number,
  log: LogWriter = writeLog,
): Promise<EventReport> {
  const budget = Math.min(MAX_SEND_MS, deadline - Date.now());
  if (budget < MIN_EVENT_BUDGET_MS) {
    return report(log, 'skipped', `${Math.max(0, Math.floor(budget))} ms left for PutEvents`);
  }
  const signal = AbortSignal.timeout(budget);
  try {
    const answer = await eventBridge().send(new PutEventsCommand({ Entries: [entry] }), {
      abortSignal: signal,
    });
    const failed = answer.Entries?.find((e) => e.ErrorCode !== undefined);
    if ((answer.FailedEntryCount ?? 0) > 0 || failed) {
      return report(
        log,
        'failed',
        `PutEvents refused the entry: ${failed?.ErrorCode ?? 'unknown'}: ${failed?.ErrorMessage ?? ''}`.trim(),
      );
    }
    return { status: 'sent' };
  } catch (cause) {
    if (signal.aborted)
      return report(log, 'unconfirmed', 'PutEvents did not answer before the deadline');
    const answered =
      ((cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0) >=
      400;
    return report(
      log,
      answered ? 'failed' : 'unconfirmed',
      `PutEvents failed: ${errorText(cause)}`,
    );
  }
}

function report(log: LogWriter, status: EventReport['status'], reason: string): EventReport {
  const outcome = status === 'unconfirmed' ? 'may not have been delivered' : 'was not delivered';
  log({ level: 'WARN', message: `the Sweep Finished event ${outcome}: ${reason}`, status });
  return { status, reason };
}
