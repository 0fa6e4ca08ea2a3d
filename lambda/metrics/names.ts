/**
 * The metric names and dimensions the function publishes. The dashboard and alarms (infra/) read
 * the same constants, so a rename cannot silently break them.
 */
/** Every datum carries it: the function's TARGET_NAME. */
export const TARGET_DIMENSION = 'Target';
/**
 * Sweeps started by a schedule also publish `PER_SCHEDULE_METRICS` with this dimension beside
 * Target, so that each schedule has its own missed-sweep and failure alarms that API sweeps and
 * other schedules cannot feed.
 */
export const SCHEDULE_DIMENSION = 'Schedule';

export const MetricName = {
  sweepDuration: 'SweepDuration',
  requestLatency: 'RequestLatency',
  /** The phases of RequestLatency: connect and TLS per new connection, the others per id. */
  connectLatency: 'ConnectLatency',
  tlsLatency: 'TlsLatency',
  firstByteLatency: 'FirstByteLatency',
  bodyLatency: 'BodyLatency',
  /** Days until the earliest-expiring leaf certificate of the sweep's connections (HTTPS). */
  certificateDaysLeft: 'CertificateDaysLeft',
  /** Ids attempted (every id but the not-attempted ones). */
  requests: 'Requests',
  /** Attempted ids whose outcome met their expectation (the EXPECT rules). */
  expected: 'Expected',
  /** Attempted ids whose outcome did not meet their expectation. */
  unexpected: 'Unexpected',
  status2xx: 'Status2xx',
  status3xx: 'Status3xx',
  status4xx: 'Status4xx',
  status5xx: 'Status5xx',
  errors: 'Errors',
  retries: 'Retries',
  notAttempted: 'NotAttempted',
  /** Percent of attempted ids that met their expectation; absent when none was attempted. */
  successRate: 'SuccessRate',
  /** One datum per sweep: 1 for the sweep's verdict, 0 for the two others. */
  verdictOk: 'VerdictOk',
  verdictDegraded: 'VerdictDegraded',
  verdictFailed: 'VerdictFailed',
  /** One datum of 1 per finished sweep (per schedule: the missed-sweep heartbeat). */
  sweeps: 'Sweeps',
  /** Ids that met their expectation in the baseline and do not now; and the reverse. */
  newlyUnexpected: 'NewlyUnexpected',
  recovered: 'Recovered',
  /** Ids whose status their rule accepts but whose body failed its checks (reason `content`). */
  contentMismatch: 'ContentMismatch',
  /** Ids whose status (and body) their rule accepts, slower than its maxLatencyMs. */
  slow: 'Slow',
  /** Shards of a distributed sweep that failed (their ids count as not attempted). */
  failedShards: 'FailedShards',
  /**
   * Per schedule only: of the schedule's last `alarmAfter.of` sweeps (this one included), how
   * many had the verdict failed; its Failed alarm fires at `alarmAfter.sweeps`.
   */
  recentFailures: 'RecentFailures',
  /**
   * Per schedule only, for schedules with mute windows: 1 when a window covered the sweep, else 0.
   * Its alarm suppresses the actions of the schedule's alarms.
   */
  muted: 'Muted',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/**
 * What a scheduled sweep also publishes with {Target, Schedule}: exactly what each schedule's
 * alarms (missed sweep, failed sweeps, newly unexpected ids, mute windows) and the dashboard
 * read, since each metric costs about $0.30 a month per schedule (test/infra/metrics-read.test.ts
 * checks both ways). `Muted` only for schedules with mute windows.
 */
export const PER_SCHEDULE_METRICS: readonly MetricName[] = [
  MetricName.sweeps,
  MetricName.recentFailures,
  MetricName.newlyUnexpected,
  MetricName.muted,
];

/** Published per schedule and never per target alone (they say something of a schedule). */
export const SCHEDULE_ONLY_METRICS: readonly MetricName[] = [
  MetricName.recentFailures,
  MetricName.muted,
];
