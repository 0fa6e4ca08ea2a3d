import * as v from 'valibot';
import { closest } from '../ground/closest.js';
import type { Config } from '../ground/config.js';
import { mustBe } from '../ground/validation.js';

/*
 * The request fields that choose targets: `target` (the one swept), `compareTarget` (another one
 * swept on the same ids and compared id by id) and `maxDifferences`. Names are the ones deployed:
 * a caller never brings a URL.
 */

/** A picklist of the deployed names whose message lists them and the nearest to a typo. */
function targetName(names: readonly string[]) {
  return v.optional(
    v.picklist(names, (issue) => {
      const typed = typeof issue.input === 'string' ? issue.input : undefined;
      const guess = typed === undefined ? undefined : closest(typed, names);
      const message = mustBe(`one of the deployed targets (${names.join(', ')})`)(issue);
      return guess ? `${message} (did you mean "${guess}"?)` : message;
    }),
  );
}

/** The fields, for the request schema's entries. */
export function targetFields(names: readonly string[]) {
  return {
    target: targetName(names),
    compareTarget: targetName(names),
    maxDifferences: v.optional(
      v.pipe(
        v.number(mustBe('an integer of at least 0')),
        v.integer(mustBe('an integer of at least 0')),
        v.minValue(0, mustBe('an integer of at least 0')),
      ),
    ),
  };
}

interface TargetInput {
  start: number;
  end: number;
  target?: string;
  compareTarget?: string;
  maxDifferences?: number;
  schedule?: string;
  compareWith?: string;
}

/** What the fields must agree on with each other and the rest of the request, by field. */
export function targetCheck<T extends TargetInput>(config: Config) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const r = dataset.value;
    const swept = r.target ?? config.targetName;
    // A schedule's baseline holds its own target's outcomes: another target's are no baseline.
    const theirs =
      r.compareWith === undefined
        ? swept
        : (config.scheduleTargets[r.compareWith] ?? config.targets[0]?.name ?? swept);
    const problems: [keyof TargetInput, boolean, string][] = [
      [
        'compareTarget',
        r.compareTarget === undefined || r.compareTarget !== (r.target ?? config.targetName),
        'must name another target than the one swept',
      ],
      [
        'compareTarget',
        r.compareTarget === undefined || r.schedule === undefined,
        'is for other sweeps: a schedule sweeps one target and keeps its baseline',
      ],
      [
        'compareTarget',
        r.compareTarget === undefined || r.end - r.start + 1 <= config.maxIds,
        `must leave at most ${config.maxIds} ids from start to end (MAX_IDS): both sweeps run in one invocation`,
      ],
      [
        'compareWith',
        theirs === swept,
        `names schedule "${r.compareWith}" of target "${theirs}", but this sweep is of target "${swept}": compare with a schedule of "${swept}"`,
      ],
      [
        'maxDifferences',
        r.maxDifferences === undefined || r.compareTarget !== undefined,
        'applies only with compareTarget',
      ],
    ];
    for (const [key, ok, message] of problems) {
      if (ok) continue;
      const path = [{ type: 'object', origin: 'value', input: r, key, value: r[key] }] as const;
      addIssue({ message, path: [...path] as unknown as [v.IssuePathItem] });
    }
  });
}
