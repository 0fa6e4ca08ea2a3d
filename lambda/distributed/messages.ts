import * as v from 'valibot';
import { AlarmAfterSchema } from '../ground/alarm-after.js';
import { InvalidEventError } from '../ground/errors.js';
import { type ExpectRule, ExpectRulesSchema } from '../ground/expect-rules.js';
import { type SweepRequestOptions, Trigger } from '../ground/options.js';
import type { ScheduleWatch } from '../ground/schedule-watch.js';
import { describeProblems, problemsOf } from '../ground/validation.js';
import type { IdRange } from '../sweep/data.js';

/**
 * What the sweep function, the state machine (infra/) and the runs function say to each other.
 * The state machine's JSONPath reads these field names: rename one in both places.
 */

/** Who asked for a run: carried through the state machine to the reduce step as one object. */
export interface RunRecord extends ScheduleWatch {
  readonly sweepId: string;
  readonly trigger: Trigger;
  /** The deployed target the run sweeps; the first target when absent. */
  readonly target?: string;
  readonly schedule?: string;
  /** A schedule whose baseline the run is compared with, read-only. */
  readonly compareWith?: string;
  readonly range: IdRange;
  /** Ids per shard, as planned: the reduce names failed shards by it. */
  readonly shardSize?: number;
  /** The request's expectations, for the reduce step's verdict; EXPECT when absent. */
  readonly expect?: readonly ExpectRule[];
}

/** The execution input: the Plan state lists shard starts with States.ArrayRange from it. */
export interface RunInput {
  readonly run: RunRecord;
  readonly range: IdRange;
  readonly shardSize: number;
  /** The request's options, with the rate limit split between shards and no time budget. */
  readonly shardOptions: ShardOptions;
}

/** A shard's options: the run's, with the deployed target's name (never a URL). */
export interface ShardOptions extends SweepRequestOptions {
  /** The deployed target the shard sweeps; the first target when absent. */
  readonly target?: string;
}

/** What answers a request for a distributed sweep: 202 on the API. */
export interface RunAccepted {
  readonly sweepId: string;
  readonly trigger: Trigger;
  readonly target: string;
  readonly range: IdRange;
  readonly total: number;
  readonly status: 'RUNNING';
  readonly shards: number;
  readonly shardSize: number;
  /** How long the run should take if the target answers in ASSUMED_LATENCY_MS. */
  readonly expectedDurationMs: number;
  /** Path on the API that reports progress and, when done, the merged result. */
  readonly statusUrl: string;
}

export const SHARD_KIND = 'shard';
export const REDUCE_KIND = 'reduce';

const count = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));

const ShardEventSchema = v.strictObject({
  kind: v.literal(SHARD_KIND),
  sweepId: v.pipe(v.string(), v.minLength(1)),
  shardStart: count(0),
  shardSize: count(1),
  rangeEnd: count(0),
  options: v.strictObject({
    target: v.optional(v.pipe(v.string(), v.minLength(1))),
    concurrency: count(1),
    timeoutMs: count(1),
    retries: count(0),
    ratePerSecond: v.optional(v.pipe(v.number(), v.gtValue(0))),
    expect: v.optional(ExpectRulesSchema),
    confirm: v.optional(v.boolean()),
    confirmMax: v.optional(count(0)),
    confirmDelayMs: v.optional(count(0)),
  }),
});
/** A shard event; its options are the run's shardOptions (expectations typed as written). */
export type ShardEvent = Omit<v.InferOutput<typeof ShardEventSchema>, 'options'> & {
  readonly options: ShardOptions;
};

const RangeSchema = v.strictObject({ start: count(0), end: count(0) });

const ReduceEventSchema = v.strictObject({
  kind: v.literal(REDUCE_KIND),
  run: v.strictObject({
    sweepId: v.pipe(v.string(), v.minLength(1)),
    trigger: v.picklist(Object.values(Trigger)),
    target: v.optional(v.pipe(v.string(), v.minLength(1))),
    schedule: v.optional(v.string()),
    compareWith: v.optional(v.string()),
    range: RangeSchema,
    shardSize: v.optional(count(1)),
    expect: v.optional(ExpectRulesSchema),
    muted: v.optional(v.literal(true)),
    muteWindows: v.optional(v.literal(true)),
    alarmAfter: v.optional(AlarmAfterSchema),
  }),
  /** $$.Execution.StartTime: ISO 8601. */
  startedAt: v.pipe(v.string(), v.isoTimestamp()),
  /** The Distributed Map's ResultWriterDetails: where its manifest is. */
  results: v.object({ Bucket: v.string(), Key: v.string() }),
});
export type ReduceEvent = v.InferOutput<typeof ReduceEventSchema>;

/** True for events that say they are a shard; parseShardEvent then checks the rest. */
export function isShardEvent(event: unknown): boolean {
  return (event as { kind?: unknown } | null)?.kind === SHARD_KIND;
}

export function isReduceEvent(event: unknown): boolean {
  return (event as { kind?: unknown } | null)?.kind === REDUCE_KIND;
}

/** A shard event whose target, if named, is one of `targets` (the deployed names). */
export function parseShardEvent(event: unknown, targets: readonly string[]): ShardEvent {
  const shard = parseOrThrow(ShardEventSchema, event, 'shard event');
  refuseUnknownTarget(shard.options.target, targets, 'shard event');
  return shard;
}

/** A reduce event whose run's target, if named, is one of `targets` (the deployed names). */
export function parseReduceEvent(event: unknown, targets: readonly string[]): ReduceEvent {
  const reduce = parseOrThrow(ReduceEventSchema, event, 'reduce event');
  refuseUnknownTarget(reduce.run.target, targets, 'reduce event');
  return reduce;
}

function refuseUnknownTarget(name: string | undefined, targets: readonly string[], what: string) {
  if (name === undefined || targets.includes(name)) return;
  const key = what === 'shard event' ? 'options.target' : 'run.target';
  const details = {
    [key]: [
      `must be one of the deployed targets (${targets.join(', ')}), got ${JSON.stringify(name)}`,
    ],
  };
  throw new InvalidEventError(`invalid ${what}: ${describeProblems(details)}`, details);
}

function parseOrThrow<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const details = problemsOf(result.issues);
  // Only our own state machine sends these: a bad one is our bug, not a caller's input.
  throw new InvalidEventError(`invalid ${what}: ${describeProblems(details)}`, details, {
    cause: new v.ValiError(result.issues),
  });
}
