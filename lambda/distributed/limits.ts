/**
 * The AWS limits a distributed sweep is planned against. The state machine (infra/) imports the
 * same constants, so the plan and the deployed definition cannot disagree.
 */

/**
 * The longest a Lambda function may run.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const LAMBDA_MAX_TIMEOUT_MS = 900_000;

/**
 * A synchronous invocation's response payload: 6 MB.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const LAMBDA_MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

/**
 * An Express execution (each Distributed Map child) runs at most five minutes, retries included.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const EXPRESS_MAX_DURATION_MS = 300_000;

/**
 * The largest input or output of a state or an execution: 256 KiB. A shard's aggregate is its
 * child execution's output, so it must stay under this.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const STATES_MAX_PAYLOAD_BYTES = 262_144;
