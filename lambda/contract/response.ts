import type { Trigger } from '../ground/options.js';
import type { MetricsReport } from '../metrics/report.js';
import type {
  CertificateReport,
  ErrorKind,
  ErrorSamples,
  FailedShard,
  IdRange,
  LatencySummary,
  PhaseSummaries,
} from '../sweep/data.js';
import type { UnexpectedReasons } from '../verdict/match.js';
import type { UnexpectedSamples, Verdict } from '../verdict/verdict.js';
import type { Changes, IdSet } from './changes.js';

/** Ids whose outcome differs between a sweep's target and its compareTarget (issue 25). */
export interface Differences {
  readonly count: number;
  /** "target's outcome→compareTarget's" → compact ids, as the baseline diff gives them. */
  readonly transitions: Readonly<Record<string, string>>;
}

/** The public contract: what an API caller gets as JSON and a schedule or invoke returns. */
export interface SweepResponse {
  readonly sweepId: string;
  readonly trigger: Trigger;
  /** The configured target's name (TARGET_NAME), also the metrics dimension. */
  readonly target: string;
  readonly range: IdRange;
  readonly total: number;
  /** ok, degraded or failed: the rules are in README's contract section (verdict/verdict.ts). */
  readonly verdict: Verdict;
  /** Attempted ids whose outcome met their expectation (the request's, schedule's or EXPECT). */
  readonly expected: number;
  /** Attempted ids whose outcome did not; expected + unexpected = total − notAttempted. */
  readonly unexpected: number;
  /** The unexpected ids in compact form ("1-97,99"); "" when none. */
  readonly unexpectedIds: string;
  /**
   * Ids that missed their expectation on the main pass and met it when requested again (the
   * confirmation pass): counted in `expected`, never in `unexpected`, listed apart.
   */
  readonly flaky: number;
  /** The flaky ids in compact form; "" when none. */
  readonly flakyIds: string;
  /**
   * The confirmation pass: ids requested again, those confirmed unexpected, and why some were
   * not requested or not answered (`skipped`: confirmMax, deadline); null when it is off.
   */
  readonly confirm: {
    readonly requested: number;
    readonly confirmed: number;
    readonly skipped?: string;
  } | null;
  /**
   * Unexpected ids by why: `status` (one its rule does not accept), `content` (its body failed
   * the rule's checks), `slow` (over the rule's maxLatencyMs), `error`; they add up to unexpected.
   */
  readonly unexpectedReasons: UnexpectedReasons;
  /** Reason → up to three short lines (`id 25: /id is 26, expected 25`); never a body. */
  readonly unexpectedSamples: UnexpectedSamples;
  /** Why the verdict is not ok, one sentence per rule broken; empty when ok. */
  readonly verdictReasons: readonly string[];
  readonly complete: boolean;
  readonly statuses: Readonly<Record<string, number>>;
  /** Every error kind, zero included. */
  readonly errors: Readonly<Record<ErrorKind, number>>;
  /**
   * Per error kind that ended ids, up to three distinct messages (`read ECONNRESET`); never a
   * stack, a URL or a header value. Empty when no id ended in an error.
   */
  readonly errorSamples: ErrorSamples;
  readonly notAttempted: number;
  readonly ids: Readonly<Record<string, string>>;
  /** Of the ids that ended with an HTTP status; null when none did. */
  readonly latencyMs: LatencySummary | null;
  /**
   * Where the time went: `connect` (DNS included) and `tls` per new connection (a request on a
   * reused connection has neither, so their `count` is the connections opened), `firstByte`
   * (request written → first response byte) and `body` (→ its end) per id that got a status.
   * Each {count, p50, p95, p99} in ms, or null without samples; null when not timed.
   */
  readonly phases: PhaseSummaries | null;
  /**
   * HTTPS: the leaf certificate that expires first among those the sweep's connections were
   * given (read once per connection); null over plain HTTP or when no connection was seen.
   */
  readonly certificate: CertificateReport | null;
  /** HTTP requests sent: every attempt, retries and re-sends included. */
  readonly attempts: number;
  readonly retries: number;
  /** Requests sent again after losing the keep-alive race (not retries; within `attempts`). */
  readonly resends: number;
  /** Times the origin's Retry-After or burst of 429s paused new requests. */
  readonly throttlePauses: number;
  readonly durationMs: number;
  /** When the sweep ended, ISO 8601 (a baseline's age). */
  readonly endedAt: string;
  readonly metrics: MetricsReport;
  /**
   * What changed since the baseline (a schedule's own, or `compareWith`'s); null without one.
   * `flaky` (this sweep's flaky ids) is kept apart from the five categories' unexpected ones.
   */
  readonly changes: (Changes & { readonly flaky?: IdSet }) | null;
  /**
   * What the sweep was asked for but left out, and why; absent when nothing was. `changes`: the
   * comparison with a baseline was not made (too little time before the deadline it serves, a
   * baseline that could not be read or is invalid), so `changes` is null.
   */
  readonly skipped?: { readonly changes: string };
  /** A schedule's mute window covered the sweep: kept and recorded, but it tells nobody. */
  readonly muted?: true;
  /** Distributed sweeps: shards that failed for good, with their ranges (ids not attempted). */
  readonly failedShards?: readonly FailedShard[];
  /** The other target the same ids were swept on (a request's `compareTarget`). */
  readonly compareTarget?: string;
  /** The ids answered differently there; present with compareTarget only. */
  readonly differences?: Differences | null;
}

/**
 * A response before its metrics are published: what the Sweep Finished event is built from, so
 * that the event and the metrics go out side by side.
 */
export type UnpublishedResponse = Omit<SweepResponse, 'metrics'>;
