import type { SweepHooks } from '../conclude/hooks.js';
import type { Config } from '../ground/config.js';
import { configsByTarget } from '../ground/target-configs.js';
import { compareTargets } from './compare.js';
import { createSweeper, type Sweeper } from './sweeper.js';

/**
 * One function, every deployed target: a sweeper per target (its URL, method, headers, rules,
 * thresholds and `Target` metrics dimension; the engine keeps a pool per origin), chosen by the
 * request's `target`. A request with `compareTarget` sweeps the same ids on both (compare.ts).
 */
export function createTargetedSweeper(config: Config, hooks: SweepHooks = {}): Sweeper {
  const sweepers = new Map(
    [...configsByTarget(config)].map(([name, own]) => [name, createSweeper(own, hooks)]),
  );
  const of = (name: string | undefined): Sweeper => {
    const sweeper = sweepers.get(name ?? config.targetName);
    // The parser admits deployed names only: another one here is our bug, not the caller's.
    if (sweeper === undefined) throw new Error(`no deployed target named "${name}"`);
    return sweeper;
  };
  return {
    answer: (request, invocation) =>
      request.compareTarget === undefined
        ? of(request.target).answer(request, invocation)
        : compareTargets(request, invocation, of(request.target), of(request.compareTarget)),
    // A shard sweeps the run's target (parseShardEvent admits deployed names only).
    sweepShard: (event, invocation) => of(event.options.target).sweepShard(event, invocation),
  };
}
