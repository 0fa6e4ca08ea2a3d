/**
 * undici's Pool on its own. The package root also loads fetch, WebSocket, caching and mocks,
 * which the engine never uses: importing the Pool module alone keeps ~270 KB out of the
 * deployed bundle and ~30 ms out of the cold start (BENCHMARKS.md). undici is pinned to an exact
 * version, and the engine's tests exercise this module, so a moved file fails the build.
 */
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';

  const PoolClass: typeof Pool;
  export default PoolClass;
}
