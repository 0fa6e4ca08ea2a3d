import { createPool, type EnginePool, type EnginePoolOptions } from './pool.js';

/** Upper bound for undici's own timers; each attempt's timer (fetcher.ts) is the real limit. */
const TRANSPORT_TIMEOUT_CAP_MS = 60_000;
/**
 * How long a connection attempt may take, undici's default: it also bounds how long a request
 * whose attempt already timed out can wait in the pool's queue before it is failed and dropped.
 */
const CONNECT_TIMEOUT_MS = 10_000;

interface CachedPool {
  readonly pool: EnginePool;
  readonly connections: number;
}

/**
 * One undici Pool per target origin for the life of the process, so that a warm Lambda reuses
 * its keep-alive connections (and TLS sessions) across invocations.
 */
const pools = new Map<string, CachedPool>();

/** TLS settings for pools created from now on; set by tests only (a test CA), never in Lambda. */
let testTls: EnginePoolOptions['tls'];

/**
 * The pool for `origin`, holding at least `connections` sockets. A sweep never has more requests
 * in flight than its concurrency, so a warm pool with a higher cap serves it as is (its idle
 * sockets stay idle); only a sweep asking for more gets a fresh pool, and the old one closes once
 * its queued requests are done.
 */
export function poolFor(origin: string, connections: number): EnginePool {
  const cached = pools.get(origin);
  if (
    cached &&
    cached.connections >= connections &&
    !cached.pool.closed &&
    !cached.pool.destroyed
  ) {
    return cached.pool;
  }
  if (cached) void cached.pool.close().catch(() => undefined);
  const pool = newPool(origin, connections);
  pools.set(origin, { pool, connections });
  return pool;
}

/**
 * A pool of the caller's own, not cached: the caller closes it. The local executor gives each
 * shard one, as separate invocations would each have theirs.
 */
export function newPool(origin: string, connections: number): EnginePool {
  return createPool(origin, {
    connections,
    pipelining: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    headersTimeout: TRANSPORT_TIMEOUT_CAP_MS,
    bodyTimeout: TRANSPORT_TIMEOUT_CAP_MS,
    ...(testTls && { tls: testTls }),
  });
}

/**
 * For tests: TLS options (e.g. `{ ca }` to trust a test CA) for every pool created after the
 * call; undefined restores the defaults. Production code never calls it.
 */
export function setTestTlsOptions(tls: EnginePoolOptions['tls']): void {
  testTls = tls;
}

/** Closes every pool: for tests and local tools that must exit cleanly. */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map(({ pool }) => pool.close().catch(() => undefined)));
}
