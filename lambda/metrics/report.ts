/** What happened to a sweep's metrics: the response's `metrics` field. */
export interface MetricsReport {
  /**
   * published: delivered through the configured channel (PutMetricData, or EMF in emf mode);
   * fallback: CloudWatch failed or time was short, so EMF went to stdout; unconfirmed: a
   * PutMetricData request got no answer and may have been stored, so nothing went to EMF (every
   * datum reaches CloudWatch at most once); off: nothing sent; local: a readable summary went to
   * stderr.
   */
  readonly status: 'published' | 'fallback' | 'unconfirmed' | 'off' | 'local';
  /** PutMetricData requests CloudWatch accepted. */
  readonly requests: number;
  /** The sweep's metric datums (as PutMetricData counts them), whichever way they went. */
  readonly datums: number;
  /** Datums of a request that may or may not have reached CloudWatch (neither resent nor EMF). */
  readonly unconfirmed?: number;
  /** Why the metrics fell back to EMF, or were lost. */
  readonly reason?: string;
}
