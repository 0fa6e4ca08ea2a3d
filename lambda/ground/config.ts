import * as v from 'valibot';
import type { SweepMethod } from '../sweep/data.js';
import { defaultMaxDistributedIds, defaultTargetName, MAX_SHARDS } from './defaults.js';
import { ConfigError } from './errors.js';
import { DEFAULT_EXPECT, type ExpectRule } from './expect-rules.js';
import { EnvSchema, EventsMode, MetricsMode } from './settings.js';
import type { Target, TargetDefaults } from './targets.js';
import type { VerdictThresholds } from './thresholds.js';
import { describeProblems, type Problems, problemsOf } from './validation.js';

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
  readonly targetHeadersMaxAgeMs: number;
  /** The most ids one invocation sweeps. */
  readonly maxIds: number;
  /** The most requests in flight a caller may ask for. */
  readonly maxConcurrency: number;
  readonly metricsNamespace: string;
  readonly metricsMode: MetricsMode;
  /** Where each sweep's "Sweep Finished" event goes (EVENTS_MODE). */
  readonly eventsMode: EventsMode;
  /** The target's dashboard, named in each event (DASHBOARD_URL). */
  readonly dashboardUrl?: string;
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
  /**
   * Each deployed schedule's range: a sweep that names the schedule must sweep it, or it would
   * replace the schedule's baseline and feed its alarms with another range's outcomes.
   */
  readonly scheduleRanges: Readonly<
    Record<string, { readonly start: number; readonly end: number }>
  >;
  /** The target of each schedule that sweeps another than the first (SCHEDULE_TARGETS). */
  readonly scheduleTargets: Readonly<Record<string, string>>;
  /** What each id should answer unless a request or schedule says otherwise (EXPECT). */
  readonly expect: readonly ExpectRule[];
  /** When a sweep is failed or degraded (VERDICT_FAILED_BELOW_PERCENT, VERDICT_MAX_P95_MS). */
  readonly verdict: VerdictThresholds;
  /** Every deployed target, the first being the TARGET_* settings above (ADDITIONAL_TARGETS adds the others). */
  readonly targets: readonly Target[];
  /** The request defaults of the target this config is for (configFor). @default - none */
  readonly targetDefaults?: TargetDefaults;
}

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
  const first: Target = {
    name: e.TARGET_NAME ?? defaultTargetName(e.TARGET_URL_TEMPLATE),
    urlTemplate: e.TARGET_URL_TEMPLATE,
    method: e.TARGET_METHOD,
    ...(e.TARGET_HEADERS_SECRET !== undefined && { headersSecret: e.TARGET_HEADERS_SECRET }),
  };
  const names = [first, ...e.ADDITIONAL_TARGETS].map((t) => t.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined)
    problems.ADDITIONAL_TARGETS = [`must name each target once, got "${twice}" twice`];
  if (Object.keys(problems).length > 0) throw invalid(problems);
  return {
    targets: [first, ...e.ADDITIONAL_TARGETS],
    targetUrlTemplate: e.TARGET_URL_TEMPLATE,
    targetName: first.name,
    targetMethod: e.TARGET_METHOD,
    targetHeadersSecret: e.TARGET_HEADERS_SECRET,
    targetHeadersMaxAgeMs: e.TARGET_HEADERS_MAX_AGE_MS,
    maxIds: e.MAX_IDS,
    maxConcurrency: e.MAX_CONCURRENCY,
    metricsNamespace: e.METRICS_NAMESPACE,
    metricsMode: e.METRICS_MODE ?? defaultMetricsMode(env),
    eventsMode: e.EVENTS_MODE ?? defaultEventsMode(env),
    ...(e.DASHBOARD_URL !== undefined && { dashboardUrl: e.DASHBOARD_URL }),
    metricsStorageResolution: e.METRICS_STORAGE_RESOLUTION,
    responseMarginMs: e.RESPONSE_MARGIN_MS,
    stateMachineArn: e.STATE_MACHINE_ARN,
    shardSize,
    shardMaxConcurrency: e.SHARD_MAX_CONCURRENCY,
    maxDistributedIds,
    resultsBucket: e.RESULTS_BUCKET,
    scheduleNames: e.SCHEDULE_NAMES,
    scheduleRanges: e.SCHEDULE_RANGES,
    scheduleTargets: e.SCHEDULE_TARGETS,
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

/**
 * EventBridge in Lambda or with a local EventBridge endpoint; off elsewhere, so that a machine
 * with AWS credentials never sends a local sweep's event to a real bus unasked.
 */
function defaultEventsMode(env: Readonly<Record<string, string | undefined>>): EventsMode {
  const deployed = Boolean(env.AWS_LAMBDA_FUNCTION_NAME || env.AWS_ENDPOINT_URL_EVENTBRIDGE);
  return deployed ? EventsMode.eventbridge : EventsMode.off;
}
