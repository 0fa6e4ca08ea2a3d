import { type BuildOptions, build, type Metafile } from 'esbuild';
import { BUNDLING, REPO_ROOT } from '../../../infra/constructs/node-function.js';

/** esbuild's options for `entry` as the constructs bundle it (node-function.ts's BUNDLING). */
export function deployedBuild(entry: string, extra: BuildOptions = {}): BuildOptions {
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    minify: BUNDLING.minify,
    keepNames: BUNDLING.keepNames,
    external: [...BUNDLING.externalModules],
    logLevel: 'error',
    ...extra,
  };
}

/** What a bundle holds: its size and, per input module, the bytes it put in the output. */
export interface BundleContents {
  readonly bytes: number;
  readonly inputs: Readonly<Record<string, number>>;
  readonly metafile: Metafile;
}

const built = new Map<string, Promise<BundleContents>>();

/** Bundles `entry` as deployed, in memory (once per file), and reads esbuild's metafile. */
export function bundleContents(entry: string): Promise<BundleContents> {
  let contents = built.get(entry);
  if (!contents) {
    contents = bundle(entry);
    built.set(entry, contents);
  }
  return contents;
}

async function bundle(entry: string): Promise<BundleContents> {
  const { metafile } = await build(
    deployedBuild(entry, { write: false, metafile: true, outfile: 'bundle.mjs' }),
  );
  const [output] = Object.values(metafile?.outputs ?? {});
  if (!metafile || !output) throw new Error(`esbuild wrote nothing for ${entry}`);
  const inputs = Object.fromEntries(
    Object.entries(output.inputs).map(([path, { bytesInOutput }]) => [path, bytesInOutput]),
  );
  return { bytes: output.bytes, inputs, metafile };
}

/**
 * The import chain from `entry` to the first module `matches` accepts, as esbuild resolved it
 * (entry → … → module), or undefined when none is reachable: says how a module got in.
 */
export function importChain(
  metafile: Metafile,
  entry: string,
  matches: (path: string) => boolean,
): string[] | undefined {
  const from = new Map<string, string>();
  const queue = [entry];
  const seen = new Set(queue);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (matches(path)) {
      const chain = [path];
      for (let at = from.get(path); at !== undefined; at = from.get(at)) chain.unshift(at);
      return chain;
    }
    for (const { path: next } of metafile.inputs[path]?.imports ?? []) {
      if (seen.has(next) || metafile.inputs[next] === undefined) continue;
      seen.add(next);
      from.set(next, path);
      queue.push(next);
    }
  }
  return undefined;
}
