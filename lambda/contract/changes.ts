/** The response's `changes` field: what changed since a baseline (computed in lambda/baseline/). */

/** Ids in compact form ("98-100,7") and how many they are. */
export interface IdSet {
  readonly count: number;
  readonly ids: string;
}

/**
 * What changed between a baseline and the current sweep. Over the ids both ranges share, the
 * five categories partition them; `new` holds the current ids outside the baseline's range.
 */
export interface ChangeSet {
  /** Met their expectation in the baseline, not now. */
  readonly newlyUnexpected: IdSet;
  /** Did not meet it in the baseline, do now. */
  readonly recovered: IdSet;
  readonly stillUnexpected: IdSet;
  readonly stillExpected: IdSet;
  /** Not attempted or aborted at the deadline in either sweep: nothing to compare. */
  readonly notCompared: IdSet;
  /** "before→now" outcome keys → compact ids, for the shared ids whose outcome changed. */
  readonly transitions: Readonly<Record<string, string>>;
  readonly new: IdSet;
}

/** The response's `changes`: what changed since `baseline`, or null without a baseline. */
export interface Changes extends ChangeSet {
  readonly baseline: { readonly sweepId: string; readonly endedAt: string | null };
}
