import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUpstream, startDemoUpstream } from '../../dev/demo-upstream.js';
import { type BuiltCli, buildCli } from '../support/cli.js';

let cli: BuiltCli;
let upstream: DemoUpstream;
beforeAll(async () => {
  cli = buildCli();
  upstream = await startDemoUpstream({ latencyMs: 0 });
});
afterAll(async () => {
  cli?.remove();
  await upstream?.close();
});

describe('status-sweep --format html', () => {
  it("writes the sweep's id map as one self-contained page on stdout, and nothing else", async () => {
    const { code, stdout, stderr } = await cli.run([
      '--format',
      'html',
      '--target',
      upstream.urlTemplate,
      '--start',
      '1020',
      '--end',
      '1030',
    ]);

    expect(code).toBe(1); // 1026-1030 answer 404: 5 of 11 unexpected, failed
    expect(stdout).toMatch(/^<!doctype html>.*<\/html>\n$/s);
    expect(stdout).toContain('<title>1020-1025: 200, met</title>');
    expect(stdout).toContain('<title>1026-1030: 404, wrong status</title>');
    expect(stdout).not.toMatch(/<script/i);
    expect(stderr).not.toMatch(/ at .*\.m?js:\d+/);
  });
});
