import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIOME = join(ROOT, 'node_modules/.bin/biome');
const run = promisify(execFile);

/** Per room of lambda/: one import that runs up (refused) and one that runs down (accepted). */
const ROOMS: Readonly<Record<string, { readonly up: string; readonly down: string }>> = {
  sweep: { up: '../ground/log.js', down: './range.js' },
  ground: { up: '../contract/routes.js', down: '../sweep/data.js' },
  verdict: { up: '../metrics/report.js', down: '../ground/config.js' },
  metrics: { up: '../contract/response.js', down: '../verdict/verdict.js' },
  contract: { up: '../baseline/store.js', down: '../metrics/report.js' },
  baseline: { up: '../distributed/plan.js', down: '../contract/response.js' },
  distributed: { up: '../conclude/hooks.js', down: '../contract/routes.js' },
  notify: { up: '../baseline/store.js', down: '../contract/response.js' },
  middleware: { up: '../request/request.js', down: '../ground/log.js' },
  request: { up: '../entry/http.js', down: '../ground/config.js' },
  conclude: { up: '../entry/sweeper.js', down: '../distributed/plan.js' },
  entry: { up: '../../dev/lambda-context.js', down: '../conclude/hooks.js' },
  idmap: { up: '../ground/log.js', down: '../sweep/data.js' },
  widget: { up: '../entry/handler.js', down: '../idmap/index.js' },
};

interface Diagnostic {
  readonly category: string;
  readonly location: { readonly path: string };
}

/** The noRestrictedImports errors per planted file, from one Biome run on the project's config. */
let refused: Map<string, number>;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'status-sweep-fences-'));
  copyFileSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
  for (const [room, { up, down }] of Object.entries(ROOMS)) {
    mkdirSync(join(dir, 'lambda', room), { recursive: true });
    for (const [name, from] of [
      ['up', up],
      ['down', down],
      // The ground floor reads the engine's data only: the engine's entry loads undici.
      ...(room === 'ground' ? [['undici', '../sweep/index.js']] : []),
    ]) {
      const text = `import { planted } from '${from}';\n\nexport const used = planted;\n`;
      writeFileSync(join(dir, 'lambda', room, `${name}.ts`), text);
    }
  }
  const lint = run(BIOME, ['lint', '--vcs-enabled=false', '--reporter=json', 'lambda'], {
    cwd: dir,
  });
  // Biome exits 1 when it finds errors: that is the point here.
  const { stdout } = await lint.catch((error: { stdout: string }) => error);
  const { diagnostics } = JSON.parse(stdout) as { diagnostics: Diagnostic[] };
  refused = new Map();
  for (const d of diagnostics.filter((d) => d.category === 'lint/style/noRestrictedImports')) {
    refused.set(d.location.path, (refused.get(d.location.path) ?? 0) + 1);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the rooms of lambda/', () => {
  it('are each fenced: every folder of lambda/ has a row here', () => {
    const folders = readdirSync(join(ROOT, 'lambda'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);

    expect(folders.sort()).toEqual(Object.keys(ROOMS).sort());
    // No loose files between the rooms.
    expect(readdirSync(join(ROOT, 'lambda')).filter((name) => name.endsWith('.ts'))).toEqual([]);
  });

  it.each(Object.keys(ROOMS))(
    '%s: an import that runs up fails the lint, one that runs down passes',
    (room) => {
      expect(refused.get(`lambda/${room}/up.ts`)).toBe(1);
      expect(refused.get(`lambda/${room}/down.ts`)).toBeUndefined();
    },
  );

  it('ground: the engine entry (undici) is refused too', () => {
    expect(refused.get('lambda/ground/undici.ts')).toBe(1);
  });

  it('import no module that imports them back, however far round (no loop)', async () => {
    const files = readdirSync(join(ROOT, 'lambda'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => `lambda/${file}`);
    const { metafile } = await build({
      absWorkingDir: ROOT,
      entryPoints: files,
      bundle: true,
      write: false,
      metafile: true,
      outdir: 'out',
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'error',
    });
    const imports = (path: string) =>
      (metafile.inputs[path]?.imports ?? [])
        .map((i) => i.path)
        .filter((p) => p.startsWith('lambda/'));

    const loops: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (path: string, trail: string[]): void => {
      state.set(path, 'open');
      for (const next of imports(path)) {
        if (state.get(next) === 'open') loops.push([...trail.slice(trail.indexOf(next)), next]);
        else if (!state.has(next)) visit(next, [...trail, next]);
      }
      state.set(path, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file, [file]);

    expect(loops).toEqual([]);
  });
});
