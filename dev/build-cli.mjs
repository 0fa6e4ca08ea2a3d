/**
 * The CLI bundle: dev/cli.ts and everything it imports (the handler, undici, the AWS SDK) as one
 * ESM file, so `npx status-sweep` starts in plain node without a TypeScript loader. Built by the
 * `prepare` script on `npm ci`, and again by the launcher when a source is newer (after an edit,
 * or when `npm ci --ignore-scripts` skipped `prepare`). Plain JavaScript: it runs before any
 * TypeScript tooling is needed.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUNDLE = `${ROOT}dist/cli.mjs`;
/** The repository files the bundle was built from (esbuild's metafile), to check for edits. */
const inputsOf = (bundle) => bundle.replace(/\.mjs$/, '.inputs.json');
const MANIFESTS = ['package-lock.json', 'dev/build-cli.mjs'];

/** ESM bundles have no `require`; the CJS dependencies inside call it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __sweepCreateRequire } from 'node:module'; const require = __sweepCreateRequire(import.meta.url);";

/** True when the bundle is missing or older than a file it was built from (~100 stats, ~1 ms). */
export function isStale() {
  try {
    const built = statSync(BUNDLE).mtimeMs;
    const inputs = JSON.parse(readFileSync(inputsOf(BUNDLE), 'utf8'));
    return [...MANIFESTS, ...inputs].some((path) => statSync(`${ROOT}${path}`).mtimeMs > built);
  } catch {
    return true; // not built yet, or a source was moved away
  }
}

/** Builds dist/cli.mjs with esbuild (a devDependency, loaded only here). */
export async function buildCli(outfile = BUNDLE) {
  const { build } = await import('esbuild');
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: ['dev/cli.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    // Error records name their classes (InvalidRequestError), as in the deployed bundles.
    keepNames: true,
    // Less to parse at every start; names are kept above.
    minify: true,
    metafile: true,
    logLevel: 'warning',
  });
  const ours = Object.keys(metafile.inputs).filter((path) => /^(dev|lambda|infra)\//.test(path));
  writeFileSync(inputsOf(outfile), JSON.stringify(ours));
}

// `node dev/build-cli.mjs [OUTFILE]`: tests build their own copy in a temporary directory.
if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli(process.argv[2]);
