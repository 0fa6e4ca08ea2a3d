import type { IdRange } from '../sweep/data.js';
import type { AlarmAfter } from './alarm-after.js';
import type { ExpectRule } from './expect-rules.js';
import type { MuteWindow } from './mute.js';

/**
 * The words every floor above the engine shares: who started a sweep, and the options it runs
 * with, whether they come from an API request, a schedule's input or a shard event.
 */

/** Who started a sweep; reported in the response and the summary log line. */
export const Trigger = {
  /** API Gateway HTTP API (payload 2.0): POST or GET /sweeps. */
  api: 'api',
  /** EventBridge Scheduler: the schedule's input JSON, which names the schedule. */
  schedule: 'schedule',
  /** A direct invocation (`aws lambda invoke`) with the same JSON. */
  invoke: 'invoke',
} as const;
export type Trigger = (typeof Trigger)[keyof typeof Trigger];

/**
 * How a sweep fetches its ids: the options of a request, a schedule (infra/, all optional there)
 * and a shard (which has no timeBudgetMs: the function's timeout bounds it).
 */
export interface SweepRequestOptions {
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** Per attempt: connect, headers and the whole body. */
  readonly timeoutMs: number;
  /** Extra attempts for network errors, 429, 502, 503, 504. */
  readonly retries: number;
  /** Request starts per second, retries included; unlimited when absent. */
  readonly ratePerSecond?: number;
  /** The whole sweep, from the invocation's start (single-invocation sweeps). */
  readonly timeBudgetMs?: number;
  /** What each id should answer; the deployment's EXPECT when absent. Shards check bodies by it. */
  readonly expect?: readonly ExpectRule[];
  /** Request unexpected ids once more before counting them (a confirmation pass). @default true */
  readonly confirm?: boolean;
  /** The most ids the confirmation pass requests. @default DEFAULT_CONFIRM_MAX */
  readonly confirmMax?: number;
  /** The wait between the main pass and the confirmation pass. @default DEFAULT_CONFIRM_DELAY_MS */
  readonly confirmDelayMs?: number;
}

/** One validated request, whatever the event it came from (request.ts builds it). */
export interface SweepRequest extends SweepRequestOptions {
  readonly trigger: Trigger;
  readonly range: IdRange;
  /** The schedule that sent it (schedules and direct invokes only). */
  readonly schedule?: string;
  /** A deployed schedule whose baseline this sweep is compared with, read-only. */
  readonly compareWith?: string;
  /** The deployed target swept. @default - the first target */
  readonly target?: string;
  /** Another deployed target: the same ids are swept there too and compared id by id. */
  readonly compareTarget?: string;
  /** The ids whose outcome may differ between the targets before the sweep fails. @default - 0 */
  readonly maxDifferences?: number;
  /** The schedule's mute windows: a sweep inside one tells nobody (schedules only). */
  readonly mute?: readonly MuteWindow[];
  /** How many of the schedule's recent sweeps must fail before its Failed alarm fires (schedules only). */
  readonly alarmAfter?: AlarmAfter;
}
