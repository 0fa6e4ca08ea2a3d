import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { type BuiltCli, buildCli } from '../support/cli.js';
import { behaviours, type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';
import { expectAccountedFor } from '../support/sweep-handler.js';

let cli: BuiltCli;
let upstream: DemoUpstream;
/** Ids 1-3 answer at once; every other id hangs until the sweep gives up on it. */
let mostlyHanging: FaultUpstream;
beforeAll(async () => {
  cli = buildCli();
  upstream = await startDemoUpstream({ latencyMs: 0 });
  mostlyHanging = await startFaultUpstream((id) => (id <= 3 ? behaviours.ok() : { type: 'hang' }));
});
afterAll(async () => {
  cli?.remove();
  await upstream?.close();
  await mostlyHanging?.close();
});

const AWS_SHELL = {
  AWS_PROFILE: 'someone',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'eu-west-1',
};

describe('status-sweep --json', () => {
  it('prints exactly one JSON document on stdout from a direct invoke, with the local metrics sink although the shell has AWS settings', async () => {
    const { code, stdout } = await cli.run(
      ['--json', '--target', upstream.urlTemplate, '--start', '1', '--end', '1030'],
      { env: AWS_SHELL },
    );

    expect(code).toBe(0); // 1026-1030 answer 404: degraded (99.5 % as expected), not failed
    const response = JSON.parse(stdout) as SweepResponse;
    expect(response).toMatchObject({
      trigger: 'invoke',
      range: { start: 1, end: 1030 },
      statuses: { '200': 1025, '404': 5 },
      metrics: { status: 'local' },
    });
    expectAccountedFor(response);
  });

  it('keeps EMF lines off stdout with --metrics emf', async () => {
    const { stdout, stderr } = await cli.run([
      '--json',
      '--metrics',
      'emf',
      '--target',
      upstream.urlTemplate,
      '--end',
      '3',
    ]);

    const response = JSON.parse(stdout) as SweepResponse;
    expect(response.metrics.status).toBe('published');
    expect(stderr).toMatch(/"_aws":\{/);
  });

  it('stops an --api sweep at its time budget like an API call, where a direct invoke is the default', async () => {
    const { stdout } = await cli.run([
      '--json',
      '--api',
      '--target',
      mostlyHanging.urlTemplate,
      '--end',
      '20',
      '--concurrency',
      '5',
      '--time-budget',
      '700',
    ]);

    const response = JSON.parse(stdout) as SweepResponse;
    expect(response).toMatchObject({ trigger: 'api', complete: false, statuses: { '200': 3 } });
    expect(response.errors.aborted).toBeGreaterThan(0);
    expect(response.durationMs).toBeLessThan(5_000);
  });
});

describe('status-sweep for people', () => {
  it('sweeps 100 ids at concurrency 100 on the demo upstream with no flags, and says so', async () => {
    const { code, stdout, stderr } = await cli.run([]);

    expect(code).toBe(0);
    expect(stderr).toMatch(
      /sweeping ids 1-100 at concurrency 100 \(direct invoke\) on the built-in demo upstream/,
    );
    expect(stdout.split('\n')[0]).toMatch(/^OK · 100 expected, 0 unexpected/);
    expect(stdout).toMatch(/200\s+×100\s+1-100/);
    expect(stdout).toMatch(/slowest\s+\d+ \(\d+ ms\)( · \d+ \(\d+ ms\)){4}/);
    expect(stdout).toMatch(/ms │█/);
    expect(stdout).toMatch(/speed-up .*× over one by one/);
  });

  it('clears the progress line before the metrics block, which appears once and apart from the summary', async () => {
    const slow = await startDemoUpstream({ latencyMs: 1_600, jitter: 0 });
    try {
      const { stdout, stderr } = await cli.run(['--target', slow.urlTemplate, '--end', '4'], {
        env: { FORCE_TTY: '1' },
      });

      const lastProgress = stderr.lastIndexOf('ids (');
      const cleared = stderr.lastIndexOf('\r\x1b[2K');
      const metrics = stderr.indexOf('metrics (METRICS_MODE=local');
      expect(lastProgress).toBeGreaterThan(0);
      expect(cleared).toBeGreaterThan(lastProgress);
      expect(metrics).toBeGreaterThan(cleared);
      expect(stderr.slice(cleared + '\r\x1b[2K'.length, metrics)).toBe('');
      expect(stderr.match(/METRICS_MODE=local/g)).toHaveLength(1);
      expect(stdout).not.toMatch(/Requests \d/);
      expect(stdout).toMatch(/metrics\s+local: the block above/);
    } finally {
      await slow.close();
    }
  });

  it('prints the partial summary of what finished on Ctrl-C and exits 130', async () => {
    let sent = false;
    const { code, stdout, stderr } = await cli.run(
      ['--target', mostlyHanging.urlTemplate, '--end', '20', '--concurrency', '5'],
      {
        onStderr: (child, text) => {
          if (sent || !text.includes('sweeping')) return;
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 800);
        },
      },
    );

    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(stdout).toMatch(/INCOMPLETE \(stopped by Ctrl-C\)/);
    expect(stdout).toMatch(/200\s+×3\s+1-3/);
    expect(stdout).toMatch(/aborted\s+×/);
  });
});

describe('exit codes and CI output', () => {
  it('exits 1 when the verdict is failed', async () => {
    const { code, stdout } = await cli.run([
      '--target',
      upstream.urlTemplate,
      '--start',
      '2000',
      '--end',
      '2010',
    ]);

    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAILED · 0 expected, 11 unexpected: 2000-2010/);
  });

  it('exits 0 on a degraded verdict, and 1 with --fail-on degraded', async () => {
    const args = ['--json', '--target', upstream.urlTemplate, '--start', '1', '--end', '1026'];

    const tolerant = await cli.run(args);
    const strict = await cli.run([...args, '--fail-on', 'degraded']);

    expect(tolerant.code).toBe(0);
    expect(strict.code).toBe(1);
  });

  it('writes one JSON line per id with --out, ids not attempted included', async () => {
    const out = join(tmpdir(), `status-sweep-out-${process.pid}.ndjson`);
    await cli.run([
      '--target',
      mostlyHanging.urlTemplate,
      '--end',
      '12',
      '--concurrency',
      '4',
      '--time-budget',
      '600',
      '--out',
      out,
    ]);

    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id).sort((a, b) => a - b)).toEqual(
      [...Array(12).keys()].map((i) => i + 1),
    );
    expect(lines.find((l) => l.id === 1)).toMatchObject({ outcome: '200', attempts: 1 });
    expect(lines.find((l) => l.id === 1).latencyMs).toBeGreaterThan(0);
    expect(lines.find((l) => l.id === 12)).toEqual({
      id: 12,
      outcome: 'notAttempted',
      latencyMs: null,
      attempts: 0,
    });
  });

  it('reports JUnit with a failing test case per expectation rule that has unexpected ids', async () => {
    const { code, stdout } = await cli.run([
      '--format',
      'junit',
      '--target',
      upstream.urlTemplate,
      '--start',
      '1020',
      '--end',
      '1030',
    ]);

    expect(code).toBe(1);
    expect(stdout).toMatch(/^<\?xml/);
    expect(stdout).toMatch(
      /<testcase classname="status-sweep" name="ids all → 2xx, 3xx"><failure message="5 unexpected ids">1026-1030 got 404 ×5<\/failure>/,
    );
    expect(stdout).toMatch(/<testcase classname="status-sweep" name="every id attempted"\/>/);
  });

  it('reports Markdown for a CI job summary', async () => {
    const { stdout } = await cli.run([
      '--format',
      'markdown',
      '--target',
      upstream.urlTemplate,
      '--end',
      '5',
    ]);

    expect(stdout).toMatch(/^### Status Sweep: OK/);
    expect(stdout).toMatch(/\| statuses \| 200 ×5 \|/);
  });
});

describe('usage', () => {
  it.each([
    [['--end', 'abc'], /--end must be an integer/],
    [['--concurrency', '0'], /--concurrency must be an integer from 1 to/],
    [['--rat', '5'], /unknown flag --rat \(did you mean --rate\?\)\nusage: /],
    [['--end'], /--end needs a value/],
    [['--format', 'xml'], /--format must be one of human, json, junit, markdown/],
    [['--expect', '[{'], /--expect must be JSON rules/],
    [['--target', 'ftp://example.com/{id}'], /TARGET_URL_TEMPLATE must be an http or https URL/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const target = args.includes('--target') ? [] : ['--target', upstream.urlTemplate];

    const { code, stdout, stderr } = await cli.run([...target, ...args]);

    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/ at .*\.m?js:\d+/); // no stack trace
    expect(stdout).toBe('');
  });

  it('lists every flag with its default, and the exit codes, in --help', async () => {
    const { code, stdout } = await cli.run(['--help']);

    expect(code).toBe(0);
    for (const flag of [
      'start',
      'end',
      'concurrency',
      'timeout',
      'retries',
      'rate',
      'time-budget',
      'target',
      'api',
      'metrics',
      'expect',
      'fail-on',
      'format',
      'json',
      'out',
    ]) {
      expect(stdout).toMatch(new RegExp(`--${flag}\\b[^\\n]*\\n\\s+default: \\S`));
    }
    expect(stdout).toMatch(/exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 .*\n\s+130 /);
  });

  it('warns when it runs on a Node older than the Lambda runtime', async () => {
    const node20 = "Object.defineProperty(process.versions, 'node', { value: '20.19.0' });";
    const { stderr } = await cli.run(['--target', upstream.urlTemplate, '--end', '1'], {
      env: { NODE_OPTIONS: `--import "data:text/javascript,${encodeURIComponent(node20)}"` },
    });

    expect(stderr).toMatch(/warning: running on Node 20\.19\.0; the Lambda runtime is Node 24/);
  });
});
