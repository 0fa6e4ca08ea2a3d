import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CONFIRM_DELAY_MS, DEFAULT_CONFIRM_MAX } from '../ground/defaults.js';
import type { SweepRequestOptions } from '../ground/options.js';
import type { SweepAggregate } from '../sweep/data.js';
import type { Expectations } from '../verdict/expectations.js';
import { confirmCandidates, confirmOutcomes } from '../verdict/flaky.js';

/**
 * Too little time for a confirmation pass: the wait plus this before the deadline. One attempt's
 * worth at the engine's own launch guard would be cut, so a pass that cannot finish is not begun.
 */
export const MIN_CONFIRM_MS = 250;

/** What a confirmation pass needs of the sweep it follows. */
export interface ConfirmContext {
  readonly options: SweepRequestOptions;
  readonly expectations: Expectations;
  /** Epoch milliseconds; the pass never runs past it. */
  readonly deadline: number | undefined;
  readonly signal?: AbortSignal;
  /** The engine on these ids of the main pass's range (ascending), the rest not attempted. */
  readonly sweepIds: (ids: readonly number[]) => Promise<SweepAggregate>;
  /** The status of a main-pass id whose outcome is a failed check. */
  readonly checkedStatus: (id: number) => number | undefined;
}

/**
 * The main pass's unexpected ids requested once more after a wait: those that then meet their
 * expectation are flaky (expected, listed apart), the others are confirmed and stay unexpected.
 * Off (`confirm: false`), the aggregate is returned untouched and has no `confirm`.
 */
export async function confirmPass(
  main: SweepAggregate,
  context: ConfirmContext,
): Promise<SweepAggregate> {
  const { options, expectations, deadline, signal } = context;
  if (options.confirm === false) return main;
  const max = options.confirmMax ?? DEFAULT_CONFIRM_MAX;
  const { ids, more } = confirmCandidates(main, expectations, max);
  const overMax = more
    ? `confirmMax: only the first ${max} unexpected ids were requested again`
    : undefined;
  const none = (skipped?: string): SweepAggregate => ({
    ...main,
    confirm: { requested: 0, confirmed: 0, flakyIds: '', ...(skipped && { skipped }) },
  });
  if (ids.length === 0) return none(overMax);
  const delayMs = options.confirmDelayMs ?? DEFAULT_CONFIRM_DELAY_MS;
  if (deadline !== undefined && Date.now() + delayMs + MIN_CONFIRM_MS >= deadline) {
    return none(`deadline: no time left to request ${ids.length} unexpected ids again`);
  }
  try {
    await sleep(delayMs, undefined, { signal });
  } catch {
    return none('stopped before the confirmation pass');
  }
  const again = await context.sweepIds(ids);
  const answered = again.total - again.notAttempted - again.errors.aborted;
  const unanswered =
    answered < ids.length
      ? `deadline: ${ids.length - answered} ids requested again got no answer in time`
      : undefined;
  const skipped = [overMax, unanswered].filter((s) => s !== undefined).join('; ');
  return confirmOutcomes(
    main,
    again,
    ids,
    expectations,
    context.checkedStatus,
    skipped === '' ? undefined : skipped,
  ).aggregate;
}
