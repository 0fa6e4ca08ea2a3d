/**
 * undici's Pool module on its own. The package root also loads fetch, WebSocket, caching and
 * mocks, which the engine never uses: importing the Pool module alone keeps ~270 KB out of the
 * deployed bundle and ~30 ms out of the cold start (BENCHMARKS.md). undici is pinned to an exact
 * version, and the engine's tests exercise this module, so a moved file fails the build.
 *
 * The declared type holds only what the engine calls. A Pool loaded this way lacks the methods
 * the package root adds to the prototype (request(), stream(), …): typed as the full `Pool`, a
 * call to one would compile and fail only in the deployed bundle. Imported by pool.ts alone
 * (a Biome noRestrictedImports rule keeps it so).
 */
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Dispatcher, Pool } from 'undici';

  /** What the engine uses of a Pool: dispatch, close, destroy and their state. */
  export interface LibPool {
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
    close(): Promise<void>;
    destroy(error?: Error | null): Promise<void>;
    readonly closed: boolean;
    readonly destroyed: boolean;
  }

  const PoolClass: new (origin: string, options: Pool.Options) => LibPool;
  export default PoolClass;
}

/** undici's one-connection Client (the Pool's building block), under the same fence. */
declare module 'undici/lib/dispatcher/client.js' {
  import type { Client } from 'undici';

  /** The same members the engine uses of a Pool, from undici's public Client type. */
  const ClientClass: new (
    origin: string,
    options: Client.Options,
  ) => Pick<Client, 'dispatch' | 'close' | 'destroy' | 'closed' | 'destroyed'>;
  export default ClientClass;
}

/** undici's connector factory, for the same reason and under the same fence as the Pool. */
declare module 'undici/lib/core/connect.js' {
  import type { buildConnector } from 'undici';

  const build: typeof buildConnector;
  export default build;
}

/** undici's private symbols, for the one the engine passes in its dispatch options. */
declare module 'undici/lib/core/symbols.js' {
  /**
   * A dispatch option: undici calls it while the request waits for a connection (in the Pool's
   * queue, then in a Client's), with a function that takes the request out of that queue.
   */
  const symbols: { readonly kQueuedAbort: symbol };
  export default symbols;
}
