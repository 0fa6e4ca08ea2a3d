import type { IdRange } from '../sweep/data.js';

/** Ids in compact form and how many they are, as the response's `changes` gives them. */
interface CountedIds {
  readonly count: number;
  readonly ids: string;
}

/**
 * What the map reads of a sweep response (lambda/response.ts's SweepResponse is one). Only
 * `range` is required: a baseline written before a field existed, or a result that omitted its
 * `ids`, is drawn with what it has and the legend says what is missing.
 */
export interface MapSweep {
  readonly sweepId?: string;
  readonly target?: string;
  readonly range: IdRange;
  readonly verdict?: string;
  readonly complete?: boolean;
  /** ISO 8601. */
  readonly endedAt?: string;
  /**
   * Outcome key ("200", "timeout", "content", "slow", "notAttempted") → compact ids, partitioning
   * `range`. `content` and `slow` are ids whose status their rule accepted but whose body or
   * latency it did not: always unexpected.
   */
  readonly ids?: Readonly<Record<string, string>>;
  /** The ids that did not meet their expectation (errors included), compact. */
  readonly unexpectedIds?: string;
  /** Unexpected ids counted by why; present once responses check content and latency. */
  readonly unexpectedReasons?: {
    readonly content?: number;
    readonly slow?: number;
  };
  /** Ids that met their expectation only after retries, compact. */
  readonly flakyIds?: string;
  readonly changes?: {
    readonly baseline?: { readonly sweepId?: string; readonly endedAt?: string | null };
    readonly newlyUnexpected?: CountedIds;
    readonly recovered?: CountedIds;
  } | null;
  /** A summary that left fields out names them (a large distributed result). */
  readonly omitted?: readonly string[];
}
