import type { SweepMethod } from '../sweep/data.js';
import { ID_PLACEHOLDER } from '../sweep/data.js';

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
/** The most unexpected ids a confirmation pass requests again (a request's `confirmMax`). */
export const DEFAULT_CONFIRM_MAX = 1_000;
/** The wait before the confirmation pass (a request's `confirmDelayMs`): a blip's usual length. */
export const DEFAULT_CONFIRM_DELAY_MS = 2_000;
/** The method every request uses (TARGET_METHOD). */
export const DEFAULT_TARGET_METHOD: SweepMethod = 'GET';
/** How long warm functions keep the headers secret before reading it again: a rotation's delay. */
export const DEFAULT_TARGET_HEADERS_MAX_AGE_MS = 300_000;

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
