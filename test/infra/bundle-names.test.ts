import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLES } from '../../infra/bundle-budget.js';
import { deployedBuild } from './support/bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'status-sweep-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a bad direct invoke throws in the deployed bundle, as the runtime would log it. */
const INVOKE_BADLY = `
import { inspect } from 'node:util';
const { invoke } = await import(process.argv[1]);
try {
  await invoke({ start: 'one' }, { getRemainingTimeInMillis: () => 60000 });
} catch (error) {
  console.log(JSON.stringify({ name: error.name, constructor: error.constructor.name, record: inspect(error).split('\\n')[0] }));
}`;

describe('the deployed bundle', () => {
  it('keeps class names, so an error record names InvalidRequestError', async () => {
    const outfile = join(dir, 'handler.mjs');
    await build(deployedBuild(BUNDLES.sweep.entry, { outfile }));

    const printed = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', INVOKE_BADLY, outfile],
      { env: { PATH: process.env.PATH ?? '', METRICS_MODE: 'off' }, encoding: 'utf8' },
    );

    expect(JSON.parse(printed)).toEqual({
      name: 'InvalidRequestError',
      constructor: 'InvalidRequestError',
      record: expect.stringMatching(/^InvalidRequestError: invalid request: start /),
    });
  });
});
