/**
 * The sweep function's bundle size target, for its cold start; the artifact test and the bench
 * (item 9) both check it. Measured 931 KB before baselines (keepNames ~5 %, the Secrets Manager
 * client under Powertools Parameters ~19 KB), 1,128 KB with the S3 client for baselines behind a
 * dynamic import: parsed but not evaluated at cold start, +10 ms CPU to import the bundle
 * (106 → 116 ms, medians of 21 runs; imported statically it costs about half as much again).
 * Body checks, phases and certificates (issue 23) add 9.5 KB of their own modules: 1,150,413.
 * The EventBridge client for the Sweep Finished event (its smithy core shared with CloudWatch's)
 * and the confirmation pass (issue 24): 1,173,888. M of N and its recent-verdicts record, mute
 * windows and the schedule watch (issue 24, second pass): 1,189,989, 11 bytes under a budget of
 * 1,190,000. undici's Milo parser left out (BUNDLING.externalModules: undici loads it only when
 * UNDICI_USE_MILO is set), the event sent beside the metrics (issue 27): 1,035,880.
 */
export const SWEEP_BUNDLE_BUDGET_BYTES = 1_060_000;

/**
 * The runs function's: it merges and reports but never fetches, so it carries no undici (479 KB
 * of the 1,091,543 bytes it had while settings.ts reached the engine's fetcher); 612 KB measured,
 * 654,701 with the EventBridge client (a run's Sweep Finished event is sent after the merge).
 */
export const RUNS_BUNDLE_BUDGET_BYTES = 670_000;

/**
 * The id map widget's: the S3 client, valibot and the renderer (9 KB); no undici. 659 KB measured.
 */
export const WIDGET_BUNDLE_BUDGET_BYTES = 700_000;

/** One function's bundle: its entry module, its size budget, and whether it fetches targets. */
export interface Bundle {
  /** From the repository root. */
  readonly entry: string;
  readonly budgetBytes: number;
  /** Only a function that fetches may carry undici. */
  readonly fetches: boolean;
}

/** Every function's bundle: the constructs bundle these entries, the bundle tests check them. */
export const BUNDLES = {
  sweep: {
    entry: 'lambda/entry/handler.ts',
    budgetBytes: SWEEP_BUNDLE_BUDGET_BYTES,
    fetches: true,
  },
  runs: {
    entry: 'lambda/entry/runs-handler.ts',
    budgetBytes: RUNS_BUNDLE_BUDGET_BYTES,
    fetches: false,
  },
  widget: {
    entry: 'lambda/widget/handler.ts',
    budgetBytes: WIDGET_BUNDLE_BUDGET_BYTES,
    fetches: false,
  },
} as const satisfies Record<string, Bundle>;
