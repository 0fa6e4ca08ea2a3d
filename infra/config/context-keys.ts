import { Annotations } from 'aws-cdk-lib';
import type { IConstruct, Node } from 'constructs';
import { closest } from '../../lambda/ground/closest.js';
import { CONTEXT_KEYS, DEPRECATED_CONTEXT_KEYS } from '../context.js';
import { CONFIG_FILE } from './schema.js';

type ContextKey = (typeof CONTEXT_KEYS)[number];

/** The context key naming the config file: `-c config=path`. */
export const CONFIG_CONTEXT_KEY = 'config';

/** Where each context key's setting lives in the config file (one name per setting). */
export const CONFIG_PATH_OF: Readonly<Record<ContextKey, string>> = {
  targetUrlTemplate: 'targets[0].urlTemplate',
  targetName: 'targets[0].name',
  targetMethod: 'targets[0].method',
  targetHeadersSecret: 'targets[0].headersSecret',
  expect: 'targets[0].expect',
  verdictFailedBelowPercent: 'targets[0].verdictFailedBelowPercent',
  verdictMaxP95Ms: 'targets[0].verdictMaxP95Ms',
  maxIds: 'function.maxIds',
  maxConcurrency: 'function.maxConcurrency',
  metricsNamespace: 'function.metricsNamespace',
  eventsMode: 'function.eventsMode',
  memorySize: 'function.memorySize',
  timeoutMs: 'function.timeoutMs',
  reservedConcurrency: 'function.reservedConcurrency',
  throttlingRateLimit: 'api.throttlingRateLimit',
  throttlingBurstLimit: 'api.throttlingBurstLimit',
  schedules: 'schedules',
  alarmEmail: 'alarms.alarmEmail',
  successRateThreshold: 'alarms.successRateThreshold',
  sweepLatenessMs: 'alarms.sweepLatenessMs',
  newlyUnexpectedThreshold: 'alarms.newlyUnexpectedThreshold',
  certificateWarningDays: 'alarms.certificateWarningDays',
  shardSize: 'distributed.shardSize',
  shardMaxConcurrency: 'distributed.shardMaxConcurrency',
  maxDistributedIds: 'distributed.maxDistributedIds',
  resultsRetentionDays: 'distributed.resultsRetentionDays',
  notify: 'notify',
};

/** Context the CDK itself sets or reads (feature flags, bundling, telemetry): never ours to judge. */
function isCdkKey(key: string): boolean {
  return key.includes(':') || key.startsWith('@') || CDK_KEYS.has(key);
}
const CDK_KEYS = new Set(['cli-telemetry', 'acknowledged-issue-numbers', 'notices']);

const OURS: readonly string[] = [
  CONFIG_CONTEXT_KEY,
  ...CONTEXT_KEYS,
  ...Object.keys(DEPRECATED_CONTEXT_KEYS),
];

/** Throws naming the first context key that is none of ours nor the CDK's, and the nearest valid one. */
export function checkContextKeys(node: Node): void {
  for (const key of Object.keys(node.getAllContext())) {
    if (isCdkKey(key) || OURS.includes(key)) continue;
    const guess = closest(key, OURS);
    throw new Error(
      `unknown CDK context key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; settings belong in ${CONFIG_FILE}`,
    );
  }
}

/** A warning on `scope` for each context setting, naming where it goes in the config file. */
export function warnContextSettings(scope: IConstruct): void {
  for (const key of CONTEXT_KEYS) {
    if (scope.node.tryGetContext(key) === undefined) continue;
    Annotations.of(scope).addWarningV2(
      `status-sweep:context-setting:${key}`,
      `CDK context key "${key}" is deprecated: set "${CONFIG_PATH_OF[key]}" in ${CONFIG_FILE}; context keys will be removed in the next release`,
    );
  }
}
