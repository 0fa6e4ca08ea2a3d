/**
 * A cold start in a fresh process, as the Lambda runtime does it: import the handler module,
 * then (with an event) invoke it once and a few more times warm.
 * Usage: node cold.mjs <module.mjs> [<event-json> <warm-invokes>]   Prints one JSON line.
 * Imports only node built-ins, so that what it times is the module under test.
 */
import { subscribe } from 'node:diagnostics_channel';
import { pathToFileURL } from 'node:url';

export interface ColdResult {
  /** The dynamic import of the module: its load and top-level evaluation. */
  readonly importMs: number;
  /** From process start (performance.timeOrigin) to the end of the import. */
  readonly sinceStartMs: number;
  /** RSS right after the import. */
  readonly rssBytes: number;
  readonly firstInvokeMs?: number;
  readonly warmInvokeMs?: number[];
  /** Connections undici made (TLS: handshakes) during the first invoke and each warm one. */
  readonly firstConnections?: number;
  readonly warmConnections?: number[];
  readonly firstStatus?: unknown;
  /** The first invoke's `complete` field (direct invokes return the sweep response itself). */
  readonly firstComplete?: unknown;
  /** The first invoke's `durationMs`: the sweep alone, as the engine clocks it (no handler). */
  readonly firstSweepMs?: unknown;
  /** The same for each warm invoke. */
  readonly warmSweepMs?: unknown[];
  /** Peak RSS over the whole process (getrusage maxrss). */
  readonly maxRssBytes?: number;
}

const [modulePath = '', eventJson, warm = '0'] = process.argv.slice(2);
// undici publishes each connection it makes (after the TLS handshake) on this channel.
let connections = 0;
subscribe('undici:client:connected', () => void connections++);
const beforeImport = performance.now();
const mod = (await import(pathToFileURL(modulePath).href)) as {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
};
const afterImport = performance.now();
const result: {
  -readonly [K in keyof ColdResult]: ColdResult[K];
} = {
  importMs: afterImport - beforeImport,
  sinceStartMs: afterImport,
  rssBytes: process.memoryUsage.rss(),
};

if (eventJson !== undefined) {
  const endsAt = Date.now() + 120_000;
  const context = {
    awsRequestId: 'bench',
    functionName: 'status-sweep',
    getRemainingTimeInMillis: () => endsAt - Date.now(),
  };
  const invoke = async () => {
    connections = 0;
    const started = performance.now();
    const response = await mod.handler(JSON.parse(eventJson), context);
    return { ms: performance.now() - started, response, connections };
  };
  const first = await invoke();
  result.firstInvokeMs = first.ms;
  result.firstConnections = first.connections;
  result.firstStatus = (first.response as { statusCode?: unknown }).statusCode;
  result.firstComplete = (first.response as { complete?: unknown }).complete;
  result.firstSweepMs = (first.response as { durationMs?: unknown }).durationMs;
  result.warmInvokeMs = [];
  result.warmConnections = [];
  result.warmSweepMs = [];
  for (let i = 0; i < Number(warm); i++) {
    const again = await invoke();
    result.warmInvokeMs.push(again.ms);
    result.warmConnections.push(again.connections);
    result.warmSweepMs.push((again.response as { durationMs?: unknown }).durationMs);
  }
}
result.maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify(result)}\n`);
// Keep-alive sockets would hold the process open; the Lambda runtime freezes it instead.
process.exit(0);
