import type { Bundles } from '../lib/deployed.js';
import type { Worker } from '../lib/procs.js';
import type { UpstreamHello } from '../workers/upstream.js';

/** What every suite gets from bench/run.ts. */
export interface BenchContext {
  /** Fewer repetitions: a smoke test of the harness, not figures to quote. */
  readonly quick: boolean;
  /** Upstream latency in ms ("0", "5", "20", "100", "400") → URL template with "{id}". */
  readonly templates: Readonly<Record<string, string>>;
  /** The 400 ms HTTPS upstreams and the test CA they are signed by. */
  readonly tls: Pick<UpstreamHello, 'tlsTemplates' | 'caFile'>;
  readonly cloudwatchUrl: string;
  readonly eventbridgeUrl: string;
  /** The upstream process, which also tallies what reached the loopback CloudWatch. */
  readonly upstream: Worker;
  /** The Lambda bundles as cdk synth makes them (synthesized once per run, on first use). */
  readonly bundles: () => Promise<Bundles>;
  /** A measurement several items report, made once per run (e.g. the 20,000-request rounds). */
  readonly shared: <T>(key: string, make: () => Promise<T>) => Promise<T>;
  /** Progress on stderr. */
  readonly log: (line: string) => void;
}

export function template(ctx: BenchContext, latencyMs: number): string {
  const t = ctx.templates[String(latencyMs)];
  if (t === undefined) throw new Error(`no upstream with ${latencyMs} ms latency`);
  return t;
}
