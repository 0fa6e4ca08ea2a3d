import { Annotations, Aspects } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { BASELINES_PREFIX } from '../../lambda/baseline/store.js';
import type { ResultsBucket } from './results-bucket.js';
import { longestGap } from './schedule-interval.js';
import type { SweepScheduleSpec } from './sweep-schedules.js';

/** The id of the warning, for `cdk synth` output and acknowledgements. */
export const BASELINE_EXPIRES_WARNING = 'status-sweep:baseline-expires';

/**
 * Warns at synth, once every lifecycle rule is known (an aspect runs just before synthesis), of
 * each schedule whose baseline a rule of the bucket would expire between two of its sweeps: its
 * next sweep would find no baseline and its NewlyUnexpected alarm could never fire. A gap that
 * cannot be bounded (a monthly cron) or a paused schedule counts as longer than any expiry.
 */
export function warnWhenBaselinesExpire(
  results: ResultsBucket,
  schedules: readonly SweepScheduleSpec[],
): void {
  Aspects.of(results).add({
    visit(node: IConstruct) {
      if (node !== results) return;
      for (const schedule of schedules) {
        const key = `${BASELINES_PREFIX}${schedule.name}.json`;
        const expiry = results.expiryOf(key);
        if (expiry === undefined) continue;
        const gap =
          schedule.enabled === false
            ? undefined
            : longestGap(schedule.expression, schedule.timeZone);
        if (gap !== undefined && gap.toMinutes() <= expiry.toMinutes()) continue;
        const apart =
          schedule.enabled === false
            ? 'is paused'
            : gap === undefined
              ? `fires at gaps that cannot be bounded (${schedule.expression})`
              : `can be ${gap.toHumanString()} apart (${schedule.expression})`;
        Annotations.of(results).addWarningV2(
          BASELINE_EXPIRES_WARNING,
          `schedule "${schedule.name}" ${apart}, but a lifecycle rule of the results bucket expires ${key} after ${expiry.toDays()} days: its baseline would be gone before its next sweep, and its NewlyUnexpected alarm could never fire. Keep baselines/ out of the rule.`,
        );
      }
    },
  });
}
