import { build } from 'esbuild';
import { BUNDLING, REPO_ROOT } from '../../../infra/constructs/node-function.js';

/** Bundles `entry` (from the repository root) into `outfile` as the stack bundles every function. */
export async function bundleLikeDeployed(entry: string, outfile: string): Promise<void> {
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    minify: BUNDLING.minify,
    keepNames: BUNDLING.keepNames,
    logLevel: 'error',
  });
}
