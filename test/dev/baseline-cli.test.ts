import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResponse } from '../../lambda/contract/response.js';
import { type BuiltCli, buildCli } from '../support/cli.js';
import { type Behaviour, behaviours, startFaultUpstream } from '../support/fault-upstream.js';

let built: BuiltCli;
/** The CLI bundle on plain node, with no AWS settings and no metrics. */
const cli = (args: string[]) => built.run([...args, '--metrics', 'off'], { timeoutMs: 60_000 });

let phase: 'before' | 'after' = 'before';
let upstream: Awaited<ReturnType<typeof startFaultUpstream>>;
let dir: string;
beforeAll(async () => {
  built = buildCli();
  dir = await mkdtemp(join(tmpdir(), 'baseline-cli-'));
  // 98-100 go 200 → 404, 101 goes 500 → 200, 7 hangs (a timeout) and then answers.
  upstream = await startFaultUpstream((id): Behaviour => {
    const after = phase === 'after';
    if (id === 7) return after ? behaviours.ok() : { type: 'hang' };
    if (id >= 98 && id <= 100) return after ? { type: 'status', status: 404 } : behaviours.ok();
    if (id === 101) return after ? behaviours.ok() : { type: 'status', status: 500 };
    return behaviours.ok();
  });
});
afterAll(async () => {
  built.remove();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

/** Ids 1-101 of the upstream, with a short timeout so the hanging id ends as a timeout. */
const args = (...more: string[]) => [
  ...['--target', upstream.urlTemplate, '--start', '1', '--end', '101'],
  ...['--timeout', '1500', '--retries', '0', ...more],
];

describe('npm start with --save and --baseline', () => {
  it('saves one sweep, then shows what changed since it first, and in --json', async () => {
    const saved = join(dir, 'prev.json');
    const first = await cli(args('--json', '--save', saved));
    expect(first.code).toBe(0);
    const previous = JSON.parse(await readFile(saved, 'utf8')) as SweepResponse;
    expect(previous).toEqual(JSON.parse(first.stdout));
    expect(previous.changes).toBeNull();
    phase = 'after';

    const human = await cli(args('--baseline', saved));
    const json = await cli(args('--json', '--baseline', saved));

    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toContain(`changes   since sweep ${previous.sweepId} (${previous.endedAt})`);
    expect(human.stdout).toMatch(/newly unexpected\s+×3\s+98-100/);
    expect(human.stdout).toMatch(/recovered\s+×2\s+7,101/);
    expect(human.stdout).toMatch(/200→404\s+×3\s+98-100/);
    expect(human.stdout).toMatch(/timeout→200\s+×1\s+7/);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as SweepResponse).changes).toMatchObject({
      baseline: { sweepId: previous.sweepId, endedAt: previous.endedAt },
      newlyUnexpected: { count: 3, ids: '98-100' },
      recovered: { count: 2, ids: '7,101' },
      transitions: { '200→404': '98-100', '500→200': '101', 'timeout→200': '7' },
    });
  });

  it('refuses a --baseline that is not a --json output, as bad usage, before sweeping', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"hello":"world"}');
    const attempts = upstream.attempts(1);

    const { code, stderr } = await cli(args('--baseline', bad));

    expect(code).toBe(2);
    expect(stderr).toContain(`--baseline ${bad} is not a --json output`);
    expect(upstream.attempts(1)).toBe(attempts);
  });
});
