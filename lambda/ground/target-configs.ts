import type { Config } from './config.js';
import type { Target } from './targets.js';

/** The deployment's config as one target sees it: its URL, method, headers, rules, thresholds. */
export function configFor(config: Config, target: Target): Config {
  return {
    ...config,
    targetName: target.name,
    targetUrlTemplate: target.urlTemplate,
    targetMethod: target.method,
    targetHeadersSecret: target.headersSecret,
    expect: target.expect ?? config.expect,
    verdict: { ...config.verdict, ...target.verdict },
    targetDefaults: target.defaults,
    targets: config.targets,
  };
}

/**
 * Each deployed target's name → the config it is swept and concluded with; the first target's is
 * the deployment's config itself.
 */
export function configsByTarget(config: Config): Map<string, Config> {
  const [first] = config.targets;
  return new Map(
    config.targets.map((target) => [
      target.name,
      target === first ? config : configFor(config, target),
    ]),
  );
}
