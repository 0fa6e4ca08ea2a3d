/**
 * A cold start in a fresh process, as the Lambda runtime does it: import the handler module,
 * then (with an event) invoke it once and a few more times warm.
 * Usage: node cold.mjs <module.mjs> [<event-json> <warm-invokes>]   Prints one JSON line.
 * Imports nothing itself, so that what it times is the module under test.
 */
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
  readonly firstStatus?: unknown;
  /** The first invoke's `complete` field (direct invokes return the sweep response itself). */
  readonly firstComplete?: unknown;
  /** Peak RSS over the whole process (getrusage maxrss). */
  readonly maxRssBytes?: number;
}

const [modulePath = '', eventJson, warm = '0'] = process.argv.slice(2);
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
    const started = performance.now();
    const response = await mod.handler(JSON.parse(eventJson), context);
    return { ms: performance.now() - started, response };
  };
  const first = await invoke();
  result.firstInvokeMs = first.ms;
  result.firstStatus = (first.response as { statusCode?: unknown }).statusCode;
  result.firstComplete = (first.response as { complete?: unknown }).complete;
  result.warmInvokeMs = [];
  for (let i = 0; i < Number(warm); i++) result.warmInvokeMs.push((await invoke()).ms);
}
result.maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify(result)}\n`);
// Keep-alive sockets would hold the process open; the Lambda runtime freezes it instead.
process.exit(0);
