import { existsSync } from 'node:fs';
import type { Node } from 'constructs';
import { sweepStackPropsFromContext } from '../context.js';
import type { SweepStackProps } from '../sweep-stack.js';
import { CONFIG_CONTEXT_KEY, checkContextKeys } from './context-keys.js';
import { readConfigFile } from './read.js';
import { CONFIG_FILE } from './schema.js';
import { stackPropsFromConfig } from './stack-props.js';

/**
 * The stack's props for `cdk synth`: the config file (`-c config=path`, else status-sweep.config.json
 * in the working directory when there is one), then any deprecated context settings over it.
 * Throws naming an unknown context key, or the file, path and value of a bad setting.
 */
export function stackPropsFromApp(node: Node): SweepStackProps {
  checkContextKeys(node);
  const named = node.tryGetContext(CONFIG_CONTEXT_KEY) as unknown;
  if (named !== undefined && (typeof named !== 'string' || named === '')) {
    throw new Error(`-c ${CONFIG_CONTEXT_KEY} must name a file, got ${JSON.stringify(named)}`);
  }
  const file = named ?? (existsSync(CONFIG_FILE) ? CONFIG_FILE : undefined);
  const fromContext = sweepStackPropsFromContext(node);
  if (file === undefined) return fromContext;
  const fromFile = stackPropsFromConfig(readConfigFile(file));
  return {
    function: { ...fromFile.function, ...defined(fromContext.function) },
    api: { ...fromFile.api, ...defined(fromContext.api) },
    distributed: { ...fromFile.distributed, ...defined(fromContext.distributed) },
    alarms: { ...fromFile.alarms, ...defined(fromContext.alarms) },
    schedules: fromContext.schedules ?? fromFile.schedules,
  };
}

/** The keys of `props` that are set: an unset context key leaves the file's value. */
function defined<T extends object>(props: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(props ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
