/**
 * The metric names and dimension the function publishes. The dashboard and alarms (infra/) read
 * the same constants, so a rename cannot silently break them.
 */
export const DEFAULT_NAMESPACE = 'StatusSweep';
export const TARGET_DIMENSION = 'Target';

export const MetricName = {
  sweepDuration: 'SweepDuration',
  requestLatency: 'RequestLatency',
  requests: 'Requests',
  succeeded: 'Succeeded',
  failed: 'Failed',
  status2xx: 'Status2xx',
  status3xx: 'Status3xx',
  status4xx: 'Status4xx',
  status5xx: 'Status5xx',
  errors: 'Errors',
  retries: 'Retries',
  notAttempted: 'NotAttempted',
  successRate: 'SuccessRate',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];
