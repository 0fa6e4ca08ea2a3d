/**
 * The AWS limits that shape what the function publishes, each with its source. Batching and the
 * EMF fallback read these; nothing else in lambda/metrics hard-codes a limit.
 */

/**
 * Most datums in one PutMetricData request.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export const MAX_DATUMS_PER_REQUEST = 1000;

/**
 * PutMetricData payload limit for HTTP POST ("1 MB"), in bytes.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export const MAX_REQUEST_BYTES = 1_048_576;

/**
 * What a batch may fill: "1 MB" read as 10^6 bytes (the CloudWatch agent batches to 999,000),
 * measured uncompressed, minus room for the request envelope (namespace, brackets).
 */
export const REQUEST_BYTES_BUDGET = 1_000_000 - 4_096;

/**
 * Most entries in one datum's Values/Counts. Read per datum, as the CloudWatch agent does
 * (it splits a distribution into several datums of ≤ 150 values in the same request).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
 */
export const MAX_VALUES_PER_DATUM = 150;

/**
 * Most dimensions on one metric.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
 */
export const MAX_DIMENSIONS_PER_DATUM = 30;

/**
 * Most metric definitions in one EMF directive's `Metrics` array.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const EMF_MAX_METRICS_PER_DOCUMENT = 100;

/**
 * Most values in one EMF metric's array.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const EMF_MAX_VALUES_PER_METRIC = 100;

/**
 * Most dimension keys in one EMF DimensionSet.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const EMF_MAX_DIMENSIONS = 30;
