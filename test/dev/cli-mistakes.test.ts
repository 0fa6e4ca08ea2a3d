import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { type BuiltCli, buildCli, type CliRun } from '../support/cli.js';
import { behaviours, type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';

let cli: BuiltCli;
let upstream: FaultUpstream;
let dir: string;
beforeAll(async () => {
  cli = buildCli();
  upstream = await startFaultUpstream(() => behaviours.ok());
  dir = mkdtempSync(join(tmpdir(), 'status-sweep-mistakes-'));
});
afterAll(async () => {
  cli?.remove();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});
let before = 0;
beforeEach(() => {
  before = upstream.seen.length;
});

/** A mistake: exit 2, one line naming it, nothing announced, printed or swept. */
function expectRefused(run: CliRun, line: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(line);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/sweeping ids| {4}at /);
  expect(run.stdout).toBe('');
  expect(upstream.seen.length).toBe(before);
}

describe('a mistake costs one line and exit 2, before anything runs', () => {
  it.each([
    ['TARGET_METHOD', 'POST', /TARGET_METHOD must be GET or HEAD, got "POST"/],
    ['MAX_IDS', 'abc', /MAX_IDS must be an integer/],
    ['EXPECT', 'notjson', /EXPECT must be JSON rules/],
    ['METRICS_MODE', 'bogus', /METRICS_MODE must be one of/],
    ['MAX_CONCURRENCY', '5000', /MAX_CONCURRENCY must be an integer from 1 to 1000, got 5000/],
  ])(
    'refuses the setting %s=%s in one line, without the bundle source',
    async (name, value, line) => {
      const run = await cli.run(['--target', upstream.urlTemplate], { env: { [name]: value } });

      expectRefused(run, line);
      expect(run.stderr.length).toBeLessThan(300);
    },
  );

  it('refuses a flag value before announcing the sweep', async () => {
    const run = await cli.run(['--target', upstream.urlTemplate, '--start', 'abc', '--end', '100']);

    expectRefused(run, /^status-sweep: invalid flags: --start must be an integer/);
  });

  it('gives the arithmetic of an impossible pace, as the API does', async () => {
    const run = await cli.run([
      '--target',
      upstream.urlTemplate,
      '--end',
      '1000000',
      '--rate',
      '1',
    ]);

    expectRefused(
      run,
      /1000000 ids cannot finish at 1 requests per second: .* at most 10000 ids .* in a run of at most 10700 s/,
    );
  });

  it.each(['save', 'out'])('refuses --%s into a missing folder before sweeping', async (flag) => {
    const path = join(dir, 'missing', 'x.json');
    const run = await cli.run(['--target', upstream.urlTemplate, `--${flag}`, path]);

    expectRefused(run, new RegExp(`--${flag} .*: the folder .*missing does not exist`));
  });

  it('names the nearest flag to a misspelt one', async () => {
    const run = await cli.run(['--taget', upstream.urlTemplate]);

    expectRefused(run, /unknown flag --taget \(did you mean --target\?\)/);
  });

  it('shows the stack of a refused setting only with --debug', async () => {
    const run = await cli.run(['--debug', '--target', upstream.urlTemplate], {
      env: { MAX_IDS: 'abc' },
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ConfigError: invalid configuration: MAX_IDS[^\n]*\n\s+at /);
  });
});

describe('--header and --headers-file (local runs)', () => {
  it('sends every header with every request and never prints a value', async () => {
    const file = join(dir, 'headers.json');
    writeFileSync(file, JSON.stringify({ 'X-Tenant': 'file-tenant', 'X-Api-Key': 'from-file' }));
    const run = await cli.run([
      '--target',
      upstream.urlTemplate,
      '--end',
      '3',
      '--headers-file',
      file,
      '--header',
      'X-Api-Key: s3cret-value',
    ]);

    expect(run.code).toBe(0);
    const seen = upstream.seen.slice(before);
    expect(seen).toHaveLength(3);
    for (const request of seen) {
      expect(request.headers['x-api-key']).toBe('s3cret-value');
      expect(request.headers['x-tenant']).toBe('file-tenant');
    }
    expect(run.stdout + run.stderr).not.toMatch(/s3cret|from-file|file-tenant/);
  });

  it.each([
    [['--header', 'Host: evil.example'], /--header may not set "host"/],
    [['--header', 'no colon s3cret'], /--header #1 must be 'Name: value'/],
    [['--header', 'X-A: 1', '--header', 'x-a: s3cret'], /names one header twice/],
  ])('refuses %j as the secret would, without echoing a value', async (flags, line) => {
    const run = await cli.run(['--target', upstream.urlTemplate, ...flags]);

    expectRefused(run, line);
    expect(run.stderr).not.toMatch(/s3cret|evil/);
  });

  it('refuses --header with a deployed --api, whose headers are fixed at deploy time', async () => {
    const run = await cli.run([
      '--api',
      'https://x.execute-api.eu-west-1.amazonaws.com/',
      '--header',
      'A: b',
    ]);

    expectRefused(run, /--header is for local sweeps/);
  });
});

describe('--version and output width', () => {
  it('prints the package version', async () => {
    const run = await cli.run(['--version']);

    expect(run).toMatchObject({ code: 0, stdout: `status-sweep ${packageJson.version}\n` });
  });

  it('fits --help and a sweep summary in 100 columns, the verdict first', async () => {
    const help = await cli.run(['--help']);
    const sweep = await cli.run(['--target', upstream.urlTemplate, '--end', '20']);

    for (const text of [help.stdout, sweep.stdout, sweep.stderr]) {
      const wide = text.split('\n').filter((line) => [...line].length > 100);
      expect(wide).toEqual([]);
    }
    expect(sweep.stdout).toMatch(/^OK · 20 expected/);
  });

  it('shows the verdict before anything the sweep printed, in one terminal stream', async () => {
    const file = join(dir, 'terminal.txt');
    const fd = openSync(file, 'w');
    try {
      const child = spawn(
        process.execPath,
        [cli.bundle, '--target', upstream.urlTemplate, '--end', '20'],
        { stdio: ['ignore', fd, fd], env: { PATH: process.env.PATH ?? '' } },
      );
      await once(child, 'close');
    } finally {
      closeSync(fd);
    }
    const terminal = readFileSync(file, 'utf8');

    const lines = terminal.split('\n');
    // The announcement (what is swept, where) and then the verdict; the metrics block after it.
    expect(lines[0]).toMatch(/^sweeping ids 1-20/);
    expect(lines[2]).toMatch(/^OK · 20 expected/);
    expect(terminal.indexOf('metrics (METRICS_MODE=local')).toBeGreaterThan(
      terminal.indexOf('OK ·'),
    );
  });
});
