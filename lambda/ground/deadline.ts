import { Trigger } from './options.js';

/**
 * When a sweep must stop, and when its metrics must be published by. Pure: the clock and the
 * Lambda's remaining time are passed in.
 */

/**
 * Options for every middy instance: no early timeout. The sweep's own deadline ends it in time
 * with a partial result; middy's early timeout would throw that result away as a 500.
 */
export const MIDDY_OPTIONS = { timeoutEarlyInMillis: 0 } as const;

/**
 * API Gateway HTTP API ends an integration after 30 s and answers 503 itself.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
export const API_GATEWAY_TIMEOUT_MS = 30_000;
/** An API sweep stops by then, so the caller gets its partial result before the gateway's 503. */
export const API_SWEEP_LIMIT_MS = 28_000;
/** Kept after the metrics publish to serialise the response and return it. */
export const RESPOND_RESERVE_MS = 500;
/** With no Lambda context (local sweeps, some tests), the metrics publish gets this long. */
export const LOCAL_METRICS_BUDGET_MS = 5_000;

/** What the deadline needs of the Lambda context. */
export interface Invocation {
  readonly awsRequestId?: string;
  /** Absent outside Lambda: then only timeBudgetMs and the API limit bound the sweep. */
  readonly getRemainingTimeInMillis?: () => number;
  /**
   * Epoch ms when API Gateway received the caller's request (the event's
   * `requestContext.timeEpoch`): its 30 s run from then, a cold start included.
   */
  readonly requestedAt?: number;
}

/** When an invocation arrived and the end times that bound it (epoch ms). */
export interface EndTimes {
  /** When the invocation arrived. */
  readonly receivedAt: number;
  /** When Lambda ends the invocation; absent outside Lambda. */
  readonly invocationEnd?: number;
  /** When an API Gateway caller must have the response; absent for other triggers. */
  readonly gatewayEnd?: number;
}

/** The end times of an invocation that arrives now, started by `trigger`. */
export function endTimesFor(
  invocation: Invocation,
  trigger: Trigger,
  now: number = Date.now(),
): EndTimes {
  const remainingMs = invocation.getRemainingTimeInMillis?.();
  return {
    receivedAt: now,
    ...(remainingMs !== undefined && { invocationEnd: now + remainingMs }),
    ...(trigger === Trigger.api && {
      gatewayEnd: gatewayStart(invocation, now) + API_GATEWAY_TIMEOUT_MS,
    }),
  };
}

/**
 * When API Gateway's clock started: its own timestamp when plausible, else now. Not plausible: in
 * the future (clock skew), or older than the gateway waits (a hand-made or replayed event, whose
 * sweep would otherwise end before it began).
 */
function gatewayStart({ requestedAt }: Invocation, now: number): number {
  const plausible =
    requestedAt !== undefined && requestedAt <= now && requestedAt > now - API_GATEWAY_TIMEOUT_MS;
  return plausible ? requestedAt : now;
}

/**
 * The sweep's deadline: the earliest of the caller's time budget, the invocation's end less the
 * margin for metrics and the response, and 28 s for API calls. Undefined when nothing bounds it.
 */
export function sweepDeadline(
  times: EndTimes,
  timeBudgetMs: number | undefined,
  responseMarginMs: number,
): number | undefined {
  const limits = [
    timeBudgetMs === undefined ? undefined : times.receivedAt + timeBudgetMs,
    times.invocationEnd === undefined ? undefined : times.invocationEnd - responseMarginMs,
    times.gatewayEnd === undefined
      ? undefined
      : times.gatewayEnd - (API_GATEWAY_TIMEOUT_MS - API_SWEEP_LIMIT_MS),
  ].filter((t): t is number => t !== undefined);
  return limits.length === 0 ? undefined : Math.min(...limits);
}

/** The metrics publish may use what is left, less the time to respond. */
export function metricsDeadline(times: EndTimes, now: number = Date.now()): number {
  const limits = [times.invocationEnd, times.gatewayEnd]
    .filter((t): t is number => t !== undefined)
    .map((t) => t - RESPOND_RESERVE_MS);
  return limits.length === 0 ? now + LOCAL_METRICS_BUDGET_MS : Math.min(...limits);
}
