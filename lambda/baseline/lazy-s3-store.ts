import type { BaselineStore } from './store.js';

/**
 * The results bucket's store, its module (and the S3 client, ~195 KB) loaded on first use only:
 * API sweeps without `compareWith` never pay for it at cold start.
 */
export function lazyS3Store(bucket: string): BaselineStore {
  let store: Promise<BaselineStore> | undefined;
  const load = () => {
    store ??= import('./s3-store.js').then((m) => m.s3BaselineStore(bucket));
    return store;
  };
  return {
    read: async (name, signal) => (await load()).read(name, signal),
    write: async (name, document, version, signal) =>
      (await load()).write(name, document, version, signal),
  };
}
