/**
 * The demo upstream at 20 ms served by several node processes on one port (node:cluster), so
 * that at 256 requests in flight the upstream is not the one process the client waits for.
 * Prints (IPC) its URL template once every worker listens.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { startDemoUpstream } from '../../dev/demo-upstream.js';
import { serveJobs } from '../lib/procs.js';

/** The latency of the efficiency row it serves. */
export const CLUSTER_LATENCY_MS = 20;

export interface ClusterHello {
  readonly template: string;
  readonly processes: number;
}

if (cluster.isPrimary) {
  const processes = availableParallelism();
  const templates = await Promise.all(
    Array.from(
      { length: processes },
      () =>
        new Promise<string>((resolve) => {
          cluster.fork().once('message', (template: string) => resolve(template));
        }),
    ),
  );
  // Workers listening on port 0 share the one port the primary picked for the first.
  if (new Set(templates).size !== 1) throw new Error(`workers on several ports: ${templates}`);
  serveJobs(async () => ({}), { template: templates[0] ?? '', processes } satisfies ClusterHello);
  process.on('disconnect', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
  });
} else {
  const upstream = await startDemoUpstream({ latencyMs: CLUSTER_LATENCY_MS, jitter: 0 });
  process.send?.(upstream.urlTemplate);
}
