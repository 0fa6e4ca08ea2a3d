import type { Pool } from 'undici';
import PoolModule, { type LibPool } from 'undici/lib/dispatcher/pool.js';

/**
 * The one file that reaches into undici's internals (biome.json fences the rest of the code
 * off): a Pool from its own module keeps fetch, WebSocket and the rest of undici out of the
 * bundle. The type holds only what the engine calls (undici-pool.d.ts says why).
 */
export type EnginePool = LibPool;

/** A Pool for `origin`; `options` are undici's Pool options. */
export function createPool(origin: string, options: Pool.Options): EnginePool {
  return new PoolModule(origin, options);
}
