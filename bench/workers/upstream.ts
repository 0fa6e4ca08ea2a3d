/**
 * The upstream process: every loopback server the benchmarks sweep, in one process apart from
 * the client being measured, so that the client's CPU time and RSS are its own.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { testCertificates } from '../../test/support/certificates.js';
import { startCloudWatchEndpoint } from '../../test/support/cloudwatch-endpoint.js';
import { startEventBridgeEndpoint } from '../../test/support/eventbridge-endpoint.js';
import {
  behaviours,
  type FaultUpstream,
  startFaultUpstream,
} from '../../test/support/fault-upstream.js';
import { serveJobs } from '../lib/procs.js';

/** Upstream latencies the suites use, in ms; jitter 0 so that ceil(N/C)·L is the true ideal. */
export const LATENCIES_MS = [400, 100, 20, 5, 0] as const;
/** The seed's latency, served over TLS too. */
export const TLS_LATENCY_MS = 400;

export type Protocol = 'http' | 'h1' | 'h2';

export interface UpstreamHello {
  /** Latency in ms → URL template with "{id}" (plain HTTP/1.1). */
  readonly templates: Record<string, string>;
  /** HTTPS at TLS_LATENCY_MS: HTTP/1.1 over TLS and HTTP/2 (ALPN h2 only). */
  readonly tlsTemplates: Record<'h1' | 'h2', string>;
  /** The test CA's PEM file, for NODE_EXTRA_CA_CERTS and aiohttp's SSL context. */
  readonly caFile: string;
  readonly cloudwatchUrl: string;
  /** Where the deployed bundle's Sweep Finished events go: a loopback EventBridge. */
  readonly eventbridgeUrl: string;
}

export interface CloudWatchTally {
  readonly requests: number;
  readonly wireBytes: number;
  readonly bodyBytes: number;
  readonly datums: number;
}

/** Connections each upstream accepted so far (TLS: handshakes completed, 'secureConnection'). */
export type ConnectionTally = Record<Protocol, number>;

const upstreams: DemoUpstream[] = [];
for (const latencyMs of LATENCIES_MS) {
  upstreams.push(await startDemoUpstream({ latencyMs, jitter: 0 }));
}
const certificates = await testCertificates();
const caFile = join(tmpdir(), `bench-ca-${process.pid}.pem`);
writeFileSync(caFile, certificates.ca);
const tls: Record<'h1' | 'h2', FaultUpstream> = {
  h1: await startFaultUpstream(() => behaviours.ok(), {
    transport: 'tls',
    tls: certificates.valid,
    latencyMs: TLS_LATENCY_MS,
  }),
  h2: await startFaultUpstream(() => behaviours.ok(), {
    transport: 'h2',
    tls: certificates.valid,
    latencyMs: TLS_LATENCY_MS,
  }),
};
const cloudwatch = await startCloudWatchEndpoint();
const eventbridge = await startEventBridgeEndpoint();
let seen = 0;

type Job = { kind: 'cloudwatch' } | { kind: 'connections' };

/**
 * Jobs: "cloudwatch" returns what PutMetricData requests arrived since the last call;
 * "connections" the connections each 400 ms upstream accepted so far.
 */
serveJobs(
  async (job: Job): Promise<CloudWatchTally | ConnectionTally> => {
    if (job.kind === 'connections') {
      return {
        http: Number.NaN, // node:http's demo upstream does not count; HTTP has no handshake
        h1: tls.h1.connectionsAccepted(),
        h2: tls.h2.connectionsAccepted(),
      };
    }
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
    tlsTemplates: { h1: tls.h1.urlTemplate, h2: tls.h2.urlTemplate },
    caFile,
    cloudwatchUrl: cloudwatch.url,
    eventbridgeUrl: eventbridge.url,
  } satisfies UpstreamHello,
);
process.on('exit', () => rmSync(caFile, { force: true }));
