/**
 * The upstream process: every loopback server the benchmarks sweep, in one process apart from
 * the client being measured, so that the client's CPU time and RSS are its own.
 */
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { startCloudWatchEndpoint } from '../../test/support/cloudwatch-endpoint.js';
import { serveJobs } from '../lib/procs.js';

/** Upstream latencies the suites use, in ms; jitter 0 so that ceil(N/C)·L is the true ideal. */
export const LATENCIES_MS = [400, 100, 20, 5, 0] as const;

export interface UpstreamHello {
  /** Latency in ms → URL template with "{id}". */
  readonly templates: Record<string, string>;
  readonly cloudwatchUrl: string;
}

export interface CloudWatchTally {
  readonly requests: number;
  readonly wireBytes: number;
  readonly bodyBytes: number;
  readonly datums: number;
}

const upstreams: DemoUpstream[] = [];
for (const latencyMs of LATENCIES_MS) {
  upstreams.push(await startDemoUpstream({ latencyMs, jitter: 0 }));
}
const cloudwatch = await startCloudWatchEndpoint();
let seen = 0;

/** Jobs: "cloudwatch" returns what PutMetricData requests arrived since the last call. */
serveJobs(
  async (job: { kind: 'cloudwatch' }): Promise<CloudWatchTally> => {
    if (job.kind !== 'cloudwatch') throw new Error(`unknown job ${JSON.stringify(job)}`);
    const fresh = cloudwatch.requests.slice(seen);
    seen = cloudwatch.requests.length;
    return {
      requests: fresh.length,
      wireBytes: fresh.reduce((sum, r) => sum + r.wireBytes, 0),
      bodyBytes: fresh.reduce((sum, r) => sum + r.bodyBytes, 0),
      datums: fresh.reduce((sum, r) => sum + r.metricData.length, 0),
    };
  },
  {
    templates: Object.fromEntries(
      LATENCIES_MS.map((latency, i) => [String(latency), upstreams[i]?.urlTemplate ?? '']),
    ),
    cloudwatchUrl: cloudwatch.url,
  } satisfies UpstreamHello,
);
