import { diffSweeps, type JudgedSweep } from '../baseline/diff.js';
import type { Differences, SweepResponse } from '../contract/response.js';
import type { Invocation } from '../ground/deadline.js';
import type { SweepRequest } from '../ground/options.js';
import { countIds } from '../sweep/data.js';
import { Verdict } from '../verdict/verdict.js';
import { isRunAccepted, type Sweeper } from './sweeper.js';

/**
 * Two targets compared id by id (a deploy gate: prod vs canary, v1 vs v2): the same ids swept on
 * both at once, each by its own sweeper (its pool, rate, headers and rules), and the ids whose
 * outcome differs as the baseline diff's transitions, `"200→404": "98-100"` reading "the
 * target's outcome → compareTarget's". Beyond `maxDifferences` (default 0) the sweep failed.
 * Each sweep publishes its own metrics under its own `Target`; the answer is the target's sweep.
 */
export async function compareTargets(
  request: SweepRequest,
  invocation: Invocation,
  main: Sweeper,
  other: Sweeper,
): Promise<SweepResponse> {
  const { compareTarget, maxDifferences = 0, compareWith, ...rest } = request;
  const [mine, theirs] = await Promise.all([
    main.answer({ ...rest, ...(compareWith !== undefined && { compareWith }) }, invocation),
    other.answer({ ...rest, target: compareTarget }, invocation),
  ]);
  // The parser admits compareTarget for ranges of one invocation only.
  if (isRunAccepted(mine) || isRunAccepted(theirs)) {
    throw new Error('a comparison of targets started a distributed sweep');
  }
  const { transitions } = diffSweeps(judged(theirs), judged(mine));
  const differences: Differences = {
    count: Object.values(transitions).reduce((sum, ids) => sum + countIds(ids), 0),
    transitions,
  };
  if (differences.count <= maxDifferences) {
    return { ...mine, compareTarget, differences };
  }
  return {
    ...mine,
    compareTarget,
    differences,
    verdict: Verdict.failed,
    verdictReasons: [
      ...mine.verdictReasons,
      `${differences.count} ids answered differently on ${compareTarget}, more than maxDifferences (${maxDifferences})`,
    ],
  };
}

function judged(response: SweepResponse): JudgedSweep {
  return { range: response.range, ids: response.ids, unexpected: response.unexpectedIds };
}
