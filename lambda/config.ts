import * as v from 'valibot';
import { ConfigError } from './errors.js';
import { SWEEP_METHODS, type SweepMethod } from './sweep/index.js';
import { ID_PLACEHOLDER } from './sweep/target.js';
import { describeProblems, mustBe, type Problems, problemsOf } from './validation.js';
import { DEFAULT_EXPECT, type ExpectRule, ExpectRulesSchema } from './verdict/expectations.js';
import type { VerdictThresholds } from './verdict/verdict.js';

/*
 * Every default and limit of a deployment, written once: the function applies them to its
 * environment, infra/ sets the environment from them, dev/ runs locally with them.
 */

/** The target of the original demonstration; a deployment names its own. */
export const DEFAULT_TARGET_URL_TEMPLATE = 'https://pokeapi.co/api/v2/pokemon/{id}/';
/** The most ids one invocation sweeps (MAX_IDS). */
export const DEFAULT_MAX_IDS = 10_000;
/** The most requests in flight a caller may ask for (MAX_CONCURRENCY). */
export const DEFAULT_MAX_CONCURRENCY = 256;
/** CloudWatch namespace of the sweep metrics (METRICS_NAMESPACE). */
export const DEFAULT_METRICS_NAMESPACE = 'StatusSweep';
/** Standard resolution (METRICS_STORAGE_RESOLUTION). */
export const DEFAULT_METRICS_STORAGE_RESOLUTION = 60;
/** Kept back from the invocation's end to publish metrics and respond (RESPONSE_MARGIN_MS). */
export const DEFAULT_RESPONSE_MARGIN_MS = 3_000;
/** Shards running at once, the Distributed Map's MaxConcurrency (SHARD_MAX_CONCURRENCY). */
export const DEFAULT_SHARD_MAX_CONCURRENCY = 10;
/** The largest range a distributed sweep takes unless MAX_DISTRIBUTED_IDS says otherwise. */
export const DEFAULT_MAX_DISTRIBUTED_IDS = 1_000_000;
/** The function's memory and timeout when a deployment does not choose: infra/ and dev/ alike. */
export const DEFAULT_MEMORY_MB = 1024;
export const DEFAULT_FUNCTION_TIMEOUT_MS = 120_000;
/** A sweep fails when fewer attempted ids met their expectation (VERDICT_FAILED_BELOW_PERCENT). */
export const DEFAULT_VERDICT_FAILED_BELOW_PERCENT = 95;
/** The method every request uses (TARGET_METHOD). */
export const DEFAULT_TARGET_METHOD: SweepMethod = 'GET';
/** How long warm functions keep the headers secret before reading it again: a rotation's delay. */
export const DEFAULT_TARGET_HEADERS_MAX_AGE_SECONDS = 300;

/**
 * The most shards one distributed sweep may have: the Step Functions intrinsic States.ArrayRange,
 * which lists the shard starts, returns at most 1,000 elements.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays
 */
export const MAX_SHARDS = 1_000;

/** MAX_DISTRIBUTED_IDS unless set: 1,000,000 ids, or MAX_SHARDS shards if that is fewer. */
export function defaultMaxDistributedIds(shardSize: number): number {
  return Math.min(DEFAULT_MAX_DISTRIBUTED_IDS, MAX_SHARDS * shardSize);
}

/** TARGET_NAME unless set: the host of the URL template. */
export function defaultTargetName(urlTemplate: string): string {
  return new URL(urlTemplate.replaceAll(ID_PLACEHOLDER, '1')).host;
}

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
  /** GET or HEAD, for every request of every sweep. */
  readonly targetMethod: SweepMethod;
  /**
   * The Secrets Manager secret (name or ARN) holding a JSON object of request headers, e.g. an
   * API key; no headers beyond the engine's defaults when absent. Its value is never logged.
   */
  readonly targetHeadersSecret?: string;
  /** Seconds a read of the headers secret is reused. */
  readonly targetHeadersMaxAgeSeconds: number;
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
  /** Where distributed results and schedules' baselines are kept. */
  readonly resultsBucket?: string;
  /** The schedules deployed with the function: the names `compareWith` may take. */
  readonly scheduleNames: readonly string[];
  /** What each id should answer unless a request or schedule says otherwise (EXPECT). */
  readonly expect: readonly ExpectRule[];
  /** When a sweep is failed or degraded (VERDICT_FAILED_BELOW_PERCENT, VERDICT_MAX_P95_MS). */
  readonly verdict: VerdictThresholds;
}

const integer = (min: number, max: number) => {
  const message = mustBe(`an integer from ${min} to ${max}`);
  return v.pipe(
    v.string(message),
    v.trim(),
    v.regex(/^\d+$/, message),
    v.transform(Number),
    v.number(),
    v.minValue(min, message),
    v.maxValue(max, message),
  );
};
const percentMessage = mustBe('a number from 0 to 100');
const percentSetting = (fallback: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.trim(),
    v.regex(/^\d+(\.\d+)?$/, percentMessage),
    v.transform(Number),
    v.number(),
    v.maxValue(100, percentMessage),
  );
const intSetting = (fallback: number, min: number, max: number) =>
  v.pipe(v.optional(v.string(), String(fallback)), integer(min, max));

const EnvSchema = v.object({
  TARGET_URL_TEMPLATE: v.pipe(
    v.optional(v.string(), DEFAULT_TARGET_URL_TEMPLATE),
    v.check((t) => t.includes(ID_PLACEHOLDER), mustBe(`a URL containing "${ID_PLACEHOLDER}"`)),
    v.check((t) => {
      const url = URL.parse(t.replaceAll(ID_PLACEHOLDER, '1'));
      return url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
    }, mustBe('an http or https URL')),
    v.check(
      (t) =>
        URL.parse(t.replaceAll(ID_PLACEHOLDER, '1'))?.origin ===
        URL.parse(t.replaceAll(ID_PLACEHOLDER, '2'))?.origin,
      mustBe(`"${ID_PLACEHOLDER}" in the path or query, not the host`),
    ),
  ),
  TARGET_NAME: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1, mustBe('a non-empty name')),
      v.maxLength(255, mustBe('at most 255 characters (a CloudWatch dimension value)')),
    ),
  ),
  TARGET_METHOD: v.optional(
    v.picklist(SWEEP_METHODS, mustBe(SWEEP_METHODS.join(' or '))),
    DEFAULT_TARGET_METHOD,
  ),
  TARGET_HEADERS_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/,
        mustBe('a Secrets Manager secret name or ARN'),
      ),
    ),
  ),
  TARGET_HEADERS_MAX_AGE_SECONDS: intSetting(DEFAULT_TARGET_HEADERS_MAX_AGE_SECONDS, 1, 86_400),
  MAX_IDS: intSetting(DEFAULT_MAX_IDS, 1, 1_000_000),
  MAX_CONCURRENCY: intSetting(DEFAULT_MAX_CONCURRENCY, 1, 1_000),
  METRICS_NAMESPACE: v.pipe(
    v.optional(v.string(), DEFAULT_METRICS_NAMESPACE),
    v.regex(
      /^[0-9A-Za-z.\-_/#:]{1,255}$/,
      mustBe('a CloudWatch namespace (1-255 of A-Z a-z 0-9 . - _ / # :)'),
    ),
    v.check((ns) => !ns.startsWith('AWS/'), mustBe('a namespace not starting with "AWS/"')),
  ),
  METRICS_MODE: v.optional(
    v.picklist(
      Object.values(MetricsMode),
      mustBe(`one of ${Object.values(MetricsMode).join(', ')}`),
    ),
  ),
  METRICS_STORAGE_RESOLUTION: v.pipe(
    v.optional(
      v.picklist(['1', '60'], mustBe('1 or 60')),
      `${DEFAULT_METRICS_STORAGE_RESOLUTION}` as const,
    ),
    v.transform((s) => (s === '1' ? 1 : 60) as 1 | 60),
  ),
  RESPONSE_MARGIN_MS: intSetting(DEFAULT_RESPONSE_MARGIN_MS, 0, 60_000),
  STATE_MACHINE_ARN: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]{1,80}$/,
        mustBe('a Step Functions state machine ARN'),
      ),
    ),
  ),
  SHARD_SIZE: v.optional(integer(1, 1_000_000)),
  SHARD_MAX_CONCURRENCY: intSetting(DEFAULT_SHARD_MAX_CONCURRENCY, 1, 10_000),
  MAX_DISTRIBUTED_IDS: v.optional(integer(1, 10_000_000)),
  RESULTS_BUCKET: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, mustBe('an S3 bucket name'))),
  ),
  // Set by infra/ from the schedules, each checked at synth by this function's request parser.
  SCHEDULE_NAMES: v.pipe(
    v.optional(v.string(), ''),
    v.transform((s) => s.split(',').filter((name) => name !== '')),
  ),
  EXPECT: v.optional(
    v.pipe(v.string(), v.parseJson(undefined, mustBe('JSON rules')), ExpectRulesSchema),
  ),
  VERDICT_FAILED_BELOW_PERCENT: percentSetting(DEFAULT_VERDICT_FAILED_BELOW_PERCENT),
  VERDICT_MAX_P95_MS: v.optional(integer(1, 900_000)),
});

/** Reads and validates the configuration; throws ConfigError naming each bad setting. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const result = v.safeParse(EnvSchema, env);
  if (!result.success) throw invalid(problemsOf(result.issues));
  const e = result.output;
  const shardSize = e.SHARD_SIZE ?? e.MAX_IDS;
  const maxDistributedIds = e.MAX_DISTRIBUTED_IDS ?? defaultMaxDistributedIds(shardSize);
  const problems: Problems = {};
  if (shardSize > e.MAX_IDS) {
    problems.SHARD_SIZE = [`must be at most MAX_IDS (${e.MAX_IDS}), got ${shardSize}`];
  }
  if (maxDistributedIds < e.MAX_IDS) {
    problems.MAX_DISTRIBUTED_IDS = [
      `must be at least MAX_IDS (${e.MAX_IDS}), got ${maxDistributedIds}`,
    ];
  }
  if (Math.ceil(maxDistributedIds / shardSize) > MAX_SHARDS) {
    problems['MAX_DISTRIBUTED_IDS / SHARD_SIZE'] = [
      `must be at most ${MAX_SHARDS} shards, got ${maxDistributedIds} / ${shardSize}`,
    ];
  }
  if (Object.keys(problems).length > 0) throw invalid(problems);
  return {
    targetUrlTemplate: e.TARGET_URL_TEMPLATE,
    targetName: e.TARGET_NAME ?? defaultTargetName(e.TARGET_URL_TEMPLATE),
    targetMethod: e.TARGET_METHOD,
    targetHeadersSecret: e.TARGET_HEADERS_SECRET,
    targetHeadersMaxAgeSeconds: e.TARGET_HEADERS_MAX_AGE_SECONDS,
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
    scheduleNames: e.SCHEDULE_NAMES,
    expect: e.EXPECT ?? DEFAULT_EXPECT,
    verdict: {
      failedBelowPercent: e.VERDICT_FAILED_BELOW_PERCENT,
      ...(e.VERDICT_MAX_P95_MS !== undefined && { maxP95Ms: e.VERDICT_MAX_P95_MS }),
    },
  };
}

function invalid(problems: Problems): ConfigError {
  return new ConfigError(`invalid configuration: ${describeProblems(problems)}`);
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
