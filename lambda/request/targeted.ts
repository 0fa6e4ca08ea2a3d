import type { Config } from '../ground/config.js';
import { configsByTarget } from '../ground/target-configs.js';
import { type RequestParser, requestParser } from './request.js';

/**
 * One parser per deployed target, each with that target's defaults, chosen by the input's
 * `target` field (the first target's when absent or unknown: its schema then refuses the name,
 * listing the deployed ones). Every target runs distributed sweeps: a run carries its target's
 * name to its shards and its reduce step.
 */
export function targetedParser(
  config: Config,
  options: { readonly distributed?: boolean } = {},
): RequestParser {
  const parsers = new Map(
    [...configsByTarget(config)].map(([name, own]) => [name, requestParser(own, options)]),
  );
  const first = parsers.get(config.targetName) ?? requestParser(config, options);
  const pick = (input: unknown): RequestParser => {
    const name = (input as { target?: unknown } | null)?.target;
    return (typeof name === 'string' && parsers.get(name)) || first;
  };
  return {
    fromApi: (input, source) => pick(input).fromApi(input, source),
    fromEvent: (event) => pick(event).fromEvent(event),
  };
}
