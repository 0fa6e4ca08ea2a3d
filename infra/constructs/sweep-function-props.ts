import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ExpectRule } from '../../lambda/ground/expect-rules.js';
import type { EventsMode } from '../../lambda/ground/settings.js';
import type { SweepMethod } from '../../lambda/sweep/index.js';
import type { TargetConfig } from '../config/schema.js';
import type { ResultsBucket } from './results-bucket.js';
import type { StateMachineArns } from './state-machine-arns.js';

/** A target after the first, as the config file writes it. */
export type TargetProps = Omit<TargetConfig, 'headersSecret'> & {
  /** By name, complete ARN, or the secret itself. @default - no headers */
  readonly headersSecret?: ISecret | string;
};

/** How the function is built and what it is told through its environment. */
export interface SweepFunctionProps {
  /** The handler module. @default - lambda/entry/handler.ts in this repository */
  readonly entry?: string;
  /** Where each id is fetched; must contain `{id}`. @default - the PokéAPI pokemon endpoint */
  readonly targetUrlTemplate?: string;
  /** The `Target` metrics dimension. @default - the host of `targetUrlTemplate` */
  readonly targetName?: string;
  /** The method of every request. @default - GET */
  readonly targetMethod?: SweepMethod;
  /**
   * A secret holding a JSON object of request headers (an API key, say), sent with every
   * request; by name, complete ARN, or the secret itself. The function may read this secret only.
   * @default - no headers beyond user-agent and accept
   */
  readonly targetHeadersSecret?: ISecret | string;
  /**
   * Targets after the first (the first is `targetName`, `targetUrlTemplate`…): a request or a
   * schedule names one as its `target`. Sent as ADDITIONAL_TARGETS (JSON); each headers secret
   * is readable by the function. @default - the one target above
   */
  readonly additionalTargets?: readonly TargetProps[];
  /** How long warm functions reuse a read of the headers secret, in ms. @default - 5 minutes */
  readonly targetHeadersMaxAgeMs?: number;
  /** The most ids one invocation sweeps. @default - 10,000 ids */
  readonly maxIds?: number;
  /** The most concurrent requests a caller may ask for. @default - 256 requests */
  readonly maxConcurrency?: number;
  /** CloudWatch namespace for the sweep metrics. @default - "StatusSweep" */
  readonly metricsNamespace?: string;
  /**
   * Where each sweep's "Sweep Finished" event goes: the account's default bus, or nowhere.
   * @default - "eventbridge" (the default bus, source "status-sweep")
   */
  readonly eventsMode?: EventsMode;
  /**
   * The dashboard each Sweep Finished event links to (`dashboardUrl`); the stack sets its own.
   * @default - none
   */
  readonly dashboardUrl?: string;
  /** CloudWatch storage resolution in seconds. @default - 60 (standard resolution) */
  readonly metricsStorageResolution?: 1 | 60;
  /** Time kept back from the deadline to publish metrics and respond, in ms. @default - 3 s */
  readonly responseMarginMs?: number;
  /** @default - 1024 MB (DEFAULT_MEMORY_MB) */
  readonly memorySize?: number;
  /** The function's timeout in ms, whole seconds. @default - 120 s (DEFAULT_FUNCTION_TIMEOUT_MS) */
  readonly timeoutMs?: number;
  /** How long the function's logs are kept. @default - 30 days */
  readonly logRetention?: RetentionDays;
  /** Concurrency reserved for (and capping) the function. @default - no reservation */
  readonly reservedConcurrency?: number;
  /** How long an asynchronous invocation may wait in Lambda's queue, in ms. @default - 1 hour */
  readonly maxEventAgeMs?: number;
  /**
   * The state machine that runs ranges above `maxIds` as shards; the function may start its
   * executions and nothing else.
   * @default - no distributed sweeps: ranges above `maxIds` are refused
   */
  readonly stateMachine?: StateMachineArns;
  /** Ids per shard of a distributed sweep (one invocation each). @default - `maxIds` */
  readonly shardSize?: number;
  /**
   * Shards running at once (the Distributed Map's MaxConcurrency); a request's rate limit is
   * split evenly between them. @default - 10 shards
   */
  readonly shardMaxConcurrency?: number;
  /**
   * The most ids one distributed sweep covers.
   * @default - 1,000,000 ids, or 1,000 shards (the States.ArrayRange limit) if that is fewer
   */
  readonly maxDistributedIds?: number;
  /**
   * Where schedules' baselines are kept; the function may read and write `baselines/*` only.
   * @default - no baselines: sweeps have `changes: null`
   */
  readonly baselines?: ResultsBucket;
  /** The schedules' names: the only values `compareWith` accepts. @default - none */
  readonly scheduleNames?: readonly string[];
  /**
   * Each schedule's range: a direct invoke naming a schedule must sweep it (or leave the
   * schedule out), so that it cannot replace that schedule's baseline. @default - none
   */
  readonly scheduleRanges?: Readonly<
    Record<string, { readonly start: number; readonly end: number }>
  >;
  /**
   * The target of each schedule that names one: `compareWith` a schedule of another target than
   * the one swept is refused (SCHEDULE_TARGETS). @default - every schedule sweeps the first target
   */
  readonly scheduleTargets?: Readonly<Record<string, string>>;
  /**
   * What each id should answer (EXPECT), unless a request or schedule brings its own rules.
   * @default - a final 2xx or 3xx for every id
   */
  readonly expect?: readonly ExpectRule[];
  /** A sweep fails below this percentage of attempted ids meeting their expectation. @default - 95 % */
  readonly verdictFailedBelowPercent?: number;
  /** A sweep is degraded above this p95 latency, in ms. @default - no latency bound */
  readonly verdictMaxP95Ms?: number;
}
