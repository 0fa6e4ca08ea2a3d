import type { Worker } from '../lib/procs.js';

/** What every suite gets from bench/run.ts. */
export interface BenchContext {
  /** Fewer repetitions: a smoke test of the harness, not figures to quote. */
  readonly quick: boolean;
  /** Upstream latency in ms ("0", "5", "20", "100", "400") → URL template with "{id}". */
  readonly templates: Readonly<Record<string, string>>;
  readonly cloudwatchUrl: string;
  /** The upstream process, which also tallies what reached the loopback CloudWatch. */
  readonly upstream: Worker;
  /** Progress on stderr. */
  readonly log: (line: string) => void;
}

export function template(ctx: BenchContext, latencyMs: number): string {
  const t = ctx.templates[String(latencyMs)];
  if (t === undefined) throw new Error(`no upstream with ${latencyMs} ms latency`);
  return t;
}
