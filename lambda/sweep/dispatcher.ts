import { createPool, type EnginePool, type EnginePoolOptions } from './pool.js';

/** Upper bound for undici's own timers; each attempt's timer (fetcher.ts) is the real limit. */
const TRANSPORT_TIMEOUT_CAP_MS = 60_000;
/**
 * How long a connection attempt may take, undici's default. An attempt that times out sooner
 * leaves the queue at once (fetcher.ts), and a connect no request waits for is given up.
 */
const CONNECT_TIMEOUT_MS = 10_000;

interface CachedPool {
  readonly pool: EnginePool;
  readonly connections: number;
  /** A running sweep holds it: nobody else dispatches through it, nobody closes it. */
  leased: boolean;
}

/** A pool lent to one sweep; release() gives it back once the sweep's attempts are over. */
export interface PoolLease {
  readonly pool: EnginePool;
  release(): void;
}

/**
 * Undici Pools per target origin for the life of the process, so that a warm Lambda reuses its
 * keep-alive connections (and TLS sessions) across invocations. Each is lent to one sweep at a
 * time: sweeps running at once in one process (the local API) each get their own and never
 * close one another's connections. Idle, one pool per origin is kept: the largest.
 */
const pools = new Map<string, CachedPool[]>();

/** TLS settings for pools created from now on; set by tests only (a test CA), never in Lambda. */
let testTls: EnginePoolOptions['tls'];

const open = ({ pool }: CachedPool) => !pool.closed && !pool.destroyed;

/**
 * A pool for `origin` holding at least `connections` sockets, for one sweep. A sweep never has
 * more requests in flight than its concurrency, so an idle warm pool with a higher cap serves it
 * as is (its idle sockets stay idle); otherwise the sweep gets a new pool, and idle pools with a
 * smaller cap close.
 */
export function leasePool(origin: string, connections: number): PoolLease {
  const cached = (pools.get(origin) ?? []).filter(open);
  let entry = cached.find((c) => !c.leased && c.connections >= connections);
  if (!entry) {
    entry = { pool: newPool(origin, connections), connections, leased: false };
    cached.push(entry);
  }
  entry.leased = true;
  pools.set(origin, retireIdle(cached));
  const leased = entry;
  return {
    pool: leased.pool,
    release: () => {
      leased.leased = false;
      pools.set(origin, retireIdle((pools.get(origin) ?? []).filter(open)));
    },
  };
}

/** Closes every idle pool but the largest; pools lent to a sweep are kept whatever their cap. */
function retireIdle(cached: CachedPool[]): CachedPool[] {
  const idle = cached.filter((c) => !c.leased);
  const largest = idle.reduce<CachedPool | undefined>(
    (best, c) => (best && best.connections >= c.connections ? best : c),
    undefined,
  );
  const kept = cached.filter((c) => c.leased || c === largest);
  for (const c of idle) if (c !== largest) void c.pool.close().catch(() => undefined);
  return kept;
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
  const all = [...pools.values()].flat();
  pools.clear();
  await Promise.all(all.map(({ pool }) => pool.close().catch(() => undefined)));
}
