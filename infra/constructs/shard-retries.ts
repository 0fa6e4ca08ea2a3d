import { Duration } from 'aws-cdk-lib';
import { JitterType } from 'aws-cdk-lib/aws-stepfunctions';
import { EXPRESS_MAX_DURATION_MS } from '../../lambda/distributed/limits.js';
import { REDUCE_RETRY_POLICY, SHARD_RETRY } from '../../lambda/distributed/retries.js';
import { NEVER_RETRIED_ERRORS } from '../../lambda/ground/errors.js';

/**
 * How a shard's Lambda task retries, and the arithmetic that keeps every retry of a shard inside
 * its Express child execution's five minutes.
 */

/** An Express child execution's limit, retries and their waits included. */
export const EXPRESS_MAX_DURATION = Duration.millis(EXPRESS_MAX_DURATION_MS);
/**
 * Lambda failed before the function ran (CDK's service-exception list less the client timeout,
 * which means the function did run): retried quickly, a few times.
 */
export const SERVICE_RETRY = {
  errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 3,
};
/** Lambda throttled the invocation (it never ran): retried with jitter. */
export const THROTTLE_RETRY = {
  errors: ['Lambda.TooManyRequestsException'],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 3,
  jitterStrategy: JitterType.FULL,
};
/** A shard that ran and failed (a crash): swept again after this, doubling (SHARD_RETRY). */
export const SHARD_RETRY_INTERVAL = Duration.millis(SHARD_RETRY.intervalMs);
/**
 * Failures a retry would repeat or that would run into the Express limit: an event or
 * configuration the function refuses (NEVER_RETRIED_ERRORS, lambda/errors.ts), and timeouts. The function stops before
 * its deadline on its own, so a shard that timed out hung, and a second wait of a whole timeout
 * is what would push the child past its five minutes. Lambda reports a timeout as
 * Sandbox.Timedout or Lambda.Unknown (like an out-of-memory crash, which would recur too).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
export const PERMANENT_TASK_ERRORS = [
  ...NEVER_RETRIED_ERRORS,
  'Sandbox.Timedout',
  'Lambda.Unknown',
  'Lambda.ClientExecutionTimeoutException',
  'States.Timeout',
];

/** The reduce step ran and failed: merged again as REDUCE_RETRY_POLICY says. */
export const REDUCE_RETRY = {
  errors: ['States.TaskFailed'],
  interval: Duration.millis(REDUCE_RETRY_POLICY.intervalMs),
  backoffRate: REDUCE_RETRY_POLICY.backoffRate,
  maxAttempts: REDUCE_RETRY_POLICY.maxAttempts,
};

/** The longest all of a retrier's waits add up to (full jitter waits at most the interval). */
function waitsOf(retry: { interval: Duration; backoffRate: number; maxAttempts: number }): number {
  let total = 0;
  for (let k = 0; k < retry.maxAttempts; k++) {
    total += retry.interval.toSeconds() * retry.backoffRate ** k;
  }
  return total;
}

/**
 * The most retries of a failed shard that keep the worst case inside the Express limit: every
 * attempt running to the function's timeout, plus every wait of every retrier.
 */
export function shardRetriesWithin(timeout: Duration): number {
  const limit = EXPRESS_MAX_DURATION.toSeconds();
  const fixed = waitsOf(SERVICE_RETRY) + waitsOf(THROTTLE_RETRY);
  // SHARD_RETRY.maxAttempts at most, fewer if the Express limit says so.
  for (let retries = SHARD_RETRY.maxAttempts; retries >= 0; retries--) {
    const worst =
      (1 + retries) * timeout.toSeconds() +
      fixed +
      waitsOf({
        interval: SHARD_RETRY_INTERVAL,
        backoffRate: SHARD_RETRY.backoffRate,
        maxAttempts: retries,
      });
    if (worst <= limit) return retries;
  }
  throw new Error(
    `the sweep function's timeout (${timeout.toSeconds()} s) plus Lambda's retry waits (${fixed} s) must fit the ${limit} s an Express child execution may run, or no shard could finish`,
  );
}
