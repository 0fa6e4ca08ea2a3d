import { join } from 'node:path';
import { build } from 'esbuild';
import { BUILD_DIR } from './procs.js';

export const WORKERS = [
  'upstream',
  'cluster-upstream',
  'client',
  'scale',
  'cold',
  'merge',
  'run-end',
  'json-upstream',
  'content',
  'rate-limited',
  'undici-cold',
] as const;

/**
 * Bundles the workers to plain ESM for node, so that what is measured runs without tsx's loader.
 * Packages stay external (resolved from node_modules as in the repo); our own code is bundled.
 */
export async function buildWorkers(): Promise<void> {
  await build({
    entryPoints: WORKERS.map((name) => join(import.meta.dirname, '..', 'workers', `${name}.ts`)),
    outdir: BUILD_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    logLevel: 'warning',
  });
}

export const workerPath = (name: (typeof WORKERS)[number]): string =>
  join(BUILD_DIR, `${name}.mjs`);
