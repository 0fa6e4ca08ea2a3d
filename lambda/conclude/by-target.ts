import type { Config } from '../ground/config.js';
import { configsByTarget } from '../ground/target-configs.js';
import { type Concluder, createConcluder } from './conclude.js';
import type { SweepHooks } from './hooks.js';

/**
 * A concluder per deployed target (its rules, thresholds and `Target` metrics dimension), chosen
 * by a run's `target`: the reduce step concludes a run under the target its shards swept.
 */
export function concludersByTarget(
  config: Config,
  hooks: SweepHooks = {},
): (target: string | undefined) => Concluder {
  const concluders = new Map(
    [...configsByTarget(config)].map(([name, own]) => [name, createConcluder(own, hooks)]),
  );
  return (name) => {
    const concluder = concluders.get(name ?? config.targetName);
    // The reduce event's parser admits deployed names only: another one here is our bug.
    if (concluder === undefined) throw new Error(`no deployed target named "${name}"`);
    return concluder;
  };
}
