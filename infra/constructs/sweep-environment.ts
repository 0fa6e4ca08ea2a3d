import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_IDS,
  DEFAULT_METRICS_NAMESPACE,
  DEFAULT_METRICS_STORAGE_RESOLUTION,
  DEFAULT_RESPONSE_MARGIN_MS,
  DEFAULT_TARGET_METHOD,
  DEFAULT_TARGET_URL_TEMPLATE,
  DEFAULT_VERDICT_FAILED_BELOW_PERCENT,
  defaultMaxDistributedIds,
  defaultTargetName,
} from '../../lambda/ground/defaults.js';
import { EventsMode, MetricsMode } from '../../lambda/ground/settings.js';
import type { SweepFunctionProps } from './sweep-function-props.js';

/**
 * The sweep function's environment from its props: the one way settings reach the function, each
 * default taken from lambda/ground/defaults.ts. Constructs (the headers secret) come already resolved.
 */
export function sweepEnvironment(
  props: SweepFunctionProps,
  resolved: {
    readonly targetHeadersSecret?: ISecret;
    readonly shardMaxConcurrency: number;
    /** Each additional target's headers secret, by target name. */
    readonly additionalSecrets?: Readonly<Record<string, ISecret>>;
  },
): Record<string, string> {
  const targetUrlTemplate = props.targetUrlTemplate ?? DEFAULT_TARGET_URL_TEMPLATE;
  const maxIds = props.maxIds ?? DEFAULT_MAX_IDS;
  const shardSize = props.shardSize ?? maxIds;
  return {
    TARGET_URL_TEMPLATE: targetUrlTemplate,
    TARGET_NAME: props.targetName ?? defaultTargetName(targetUrlTemplate),
    TARGET_METHOD: props.targetMethod ?? DEFAULT_TARGET_METHOD,
    ...(resolved.targetHeadersSecret && {
      TARGET_HEADERS_SECRET: secretId(resolved.targetHeadersSecret),
    }),
    ...(props.additionalTargets?.length && {
      ADDITIONAL_TARGETS: JSON.stringify(
        props.additionalTargets.map(({ headersSecret: _, ...target }) => {
          const secret = resolved.additionalSecrets?.[target.name];
          return secret ? { ...target, headersSecret: secretId(secret) } : target;
        }),
      ),
    }),
    ...(props.targetHeadersMaxAgeMs !== undefined && {
      TARGET_HEADERS_MAX_AGE_MS: String(props.targetHeadersMaxAgeMs),
    }),
    MAX_IDS: String(maxIds),
    MAX_CONCURRENCY: String(props.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY),
    METRICS_NAMESPACE: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
    METRICS_MODE: MetricsMode.cloudwatch,
    EVENTS_MODE: props.eventsMode ?? EventsMode.eventbridge,
    ...(props.dashboardUrl !== undefined && { DASHBOARD_URL: props.dashboardUrl }),
    METRICS_STORAGE_RESOLUTION: String(
      props.metricsStorageResolution ?? DEFAULT_METRICS_STORAGE_RESOLUTION,
    ),
    RESPONSE_MARGIN_MS: String(props.responseMarginMs ?? DEFAULT_RESPONSE_MARGIN_MS),
    ...(props.stateMachine && { STATE_MACHINE_ARN: props.stateMachine.stateMachineArn }),
    SHARD_SIZE: String(shardSize),
    SHARD_MAX_CONCURRENCY: String(resolved.shardMaxConcurrency),
    MAX_DISTRIBUTED_IDS: String(props.maxDistributedIds ?? defaultMaxDistributedIds(shardSize)),
    ...(props.baselines && { RESULTS_BUCKET: props.baselines.bucket.bucketName }),
    SCHEDULE_NAMES: (props.scheduleNames ?? []).join(','),
    ...(Object.keys(props.scheduleRanges ?? {}).length > 0 && {
      SCHEDULE_RANGES: Object.entries(props.scheduleRanges ?? {})
        .map(([name, range]) => `${name}=${range.start}-${range.end}`)
        .join(','),
    }),
    ...(Object.keys(props.scheduleTargets ?? {}).length > 0 && {
      SCHEDULE_TARGETS: Object.entries(props.scheduleTargets ?? {})
        .map(([name, target]) => `${name}=${target}`)
        .join(','),
    }),
    ...(props.expect && { EXPECT: JSON.stringify(props.expect) }),
    VERDICT_FAILED_BELOW_PERCENT: String(
      props.verdictFailedBelowPercent ?? DEFAULT_VERDICT_FAILED_BELOW_PERCENT,
    ),
    ...(props.verdictMaxP95Ms !== undefined && {
      VERDICT_MAX_P95_MS: String(props.verdictMaxP95Ms),
    }),
  };
}

/** A secret as the function reads it: its complete ARN when known, else its name. */
function secretId(secret: ISecret): string {
  return secret.secretFullArn ?? secret.secretName;
}
