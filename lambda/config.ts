import * as v from 'valibot';
import { MAX_SHARDS } from './distributed/shards.js';
import { ConfigError } from './errors.js';

/** The target of the original demonstration; a deployment names its own. */
export const DEFAULT_TARGET_URL_TEMPLATE = 'https://pokeapi.co/api/v2/pokemon/{id}/';
export const ID_PLACEHOLDER = '{id}';
/** The largest range a distributed sweep takes unless MAX_DISTRIBUTED_IDS says otherwise. */
export const DEFAULT_MAX_DISTRIBUTED_IDS = 1_000_000;

export const MetricsMode = {
  cloudwatch: 'cloudwatch',
  emf: 'emf',
  off: 'off',
  /** A readable summary on stderr: the default outside Lambda with no AWS settings. */
  local: 'local',
} as const;
export type MetricsMode = (typeof MetricsMode)[keyof typeof MetricsMode];

/** Everything the function reads from its environment, validated once at cold start. */
export interface Config {
  /** Where each id is fetched; `{id}` is replaced. Never chosen by a caller (SSRF). */
  readonly targetUrlTemplate: string;
  /** The `Target` metrics dimension. */
  readonly targetName: string;
  /** The most ids one invocation sweeps. */
  readonly maxIds: number;
  /** The most requests in flight a caller may ask for. */
  readonly maxConcurrency: number;
  readonly metricsNamespace: string;
  readonly metricsMode: MetricsMode;
  /** CloudWatch storage resolution in seconds. */
  readonly metricsStorageResolution: 1 | 60;
  /** Time kept back from the Lambda's remaining time to publish metrics and respond. */
  readonly responseMarginMs: number;
  /** The distributed-sweep state machine; without it, ranges above maxIds are refused. */
  readonly stateMachineArn?: string;
  /** Ids per shard of a distributed sweep (at most maxIds). */
  readonly shardSize: number;
  /** Shards running at once (the Distributed Map's MaxConcurrency): splits a rate limit. */
  readonly shardMaxConcurrency: number;
  /** The most ids one distributed sweep covers. */
  readonly maxDistributedIds: number;
  /** Where distributed results are kept (the runs function only). */
  readonly resultsBucket?: string;
}

const integer = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.regex(/^\d+$/, `an integer from ${min} to ${max}`),
    v.transform(Number),
    v.number(),
    v.minValue(min, `an integer from ${min} to ${max}`),
    v.maxValue(max, `an integer from ${min} to ${max}`),
  );
const intSetting = (fallback: number, min: number, max: number) =>
  v.pipe(v.optional(v.string(), String(fallback)), integer(min, max));

const EnvSchema = v.object({
  TARGET_URL_TEMPLATE: v.pipe(
    v.optional(v.string(), DEFAULT_TARGET_URL_TEMPLATE),
    v.check((t) => t.includes(ID_PLACEHOLDER), `a URL containing "${ID_PLACEHOLDER}"`),
    v.check((t) => {
      const url = URL.parse(t.replaceAll(ID_PLACEHOLDER, '1'));
      return url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
    }, 'an http or https URL'),
    v.check(
      (t) =>
        URL.parse(t.replaceAll(ID_PLACEHOLDER, '1'))?.origin ===
        URL.parse(t.replaceAll(ID_PLACEHOLDER, '2'))?.origin,
      `"${ID_PLACEHOLDER}" in the path or query, not the host`,
    ),
  ),
  TARGET_NAME: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1, 'a non-empty name'),
      v.maxLength(255, 'at most 255 characters (a CloudWatch dimension value)'),
    ),
  ),
  MAX_IDS: intSetting(10_000, 1, 1_000_000),
  MAX_CONCURRENCY: intSetting(256, 1, 1_000),
  METRICS_NAMESPACE: v.pipe(
    v.optional(v.string(), 'StatusSweep'),
    v.regex(
      /^[0-9A-Za-z.\-_/#:]{1,255}$/,
      'a CloudWatch namespace (1-255 of A-Z a-z 0-9 . - _ / # :)',
    ),
    v.check((ns) => !ns.startsWith('AWS/'), 'a namespace not starting with "AWS/"'),
  ),
  METRICS_MODE: v.optional(
    v.picklist(Object.values(MetricsMode), `one of ${Object.values(MetricsMode).join(', ')}`),
  ),
  METRICS_STORAGE_RESOLUTION: v.pipe(
    v.optional(v.picklist(['1', '60'], '1 or 60'), '60'),
    v.transform((s) => (s === '1' ? 1 : 60) as 1 | 60),
  ),
  RESPONSE_MARGIN_MS: intSetting(3_000, 0, 60_000),
  STATE_MACHINE_ARN: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]{1,80}$/,
        'a Step Functions state machine ARN',
      ),
    ),
  ),
  SHARD_SIZE: v.optional(integer(1, 1_000_000)),
  SHARD_MAX_CONCURRENCY: intSetting(10, 1, 10_000),
  MAX_DISTRIBUTED_IDS: v.optional(integer(1, 10_000_000)),
  RESULTS_BUCKET: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')),
  ),
});

/** Reads and validates the configuration; throws ConfigError naming each bad setting. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const result = v.safeParse(EnvSchema, env);
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const name = issue.path?.map((p) => String(p.key)).join('.') ?? '?';
      return `${name} must be ${issue.message}, got ${JSON.stringify(issue.input)}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = result.output;
  const shardSize = e.SHARD_SIZE ?? e.MAX_IDS;
  const maxDistributedIds =
    e.MAX_DISTRIBUTED_IDS ?? Math.min(DEFAULT_MAX_DISTRIBUTED_IDS, MAX_SHARDS * shardSize);
  const problems = [
    shardSize > e.MAX_IDS && `SHARD_SIZE must be at most MAX_IDS (${e.MAX_IDS}), got ${shardSize}`,
    maxDistributedIds < e.MAX_IDS &&
      `MAX_DISTRIBUTED_IDS must be at least MAX_IDS (${e.MAX_IDS}), got ${maxDistributedIds}`,
    Math.ceil(maxDistributedIds / shardSize) > MAX_SHARDS &&
      `MAX_DISTRIBUTED_IDS / SHARD_SIZE must be at most ${MAX_SHARDS} shards, got ${maxDistributedIds} / ${shardSize}`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return {
    targetUrlTemplate: e.TARGET_URL_TEMPLATE,
    targetName:
      e.TARGET_NAME ?? new URL(e.TARGET_URL_TEMPLATE.replaceAll(ID_PLACEHOLDER, '1')).host,
    maxIds: e.MAX_IDS,
    maxConcurrency: e.MAX_CONCURRENCY,
    metricsNamespace: e.METRICS_NAMESPACE,
    metricsMode: e.METRICS_MODE ?? defaultMetricsMode(env),
    metricsStorageResolution: e.METRICS_STORAGE_RESOLUTION,
    responseMarginMs: e.RESPONSE_MARGIN_MS,
    stateMachineArn: e.STATE_MACHINE_ARN,
    shardSize,
    shardMaxConcurrency: e.SHARD_MAX_CONCURRENCY,
    maxDistributedIds,
    resultsBucket: e.RESULTS_BUCKET,
  };
}

/** CloudWatch in Lambda or wherever AWS is configured; a readable local sink otherwise. */
function defaultMetricsMode(env: Readonly<Record<string, string | undefined>>): MetricsMode {
  const awsConfigured = [
    'AWS_LAMBDA_FUNCTION_NAME',
    'AWS_ENDPOINT_URL_CLOUDWATCH',
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_PROFILE',
  ].some((name) => Boolean(env[name]));
  return awsConfigured ? MetricsMode.cloudwatch : MetricsMode.local;
}
