import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCli, buildCli } from '../support/cli.js';
import { type LoopbackServer, listenOnLoopback } from '../support/loopback-server.js';

/** An upstream on loopback answering `statusOf(id)` after 2 ms. */
async function upstream(statusOf: (id: number) => number): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const id = Number(/(\d+)$/.exec(req.url ?? '')?.[1]);
    setTimeout(() => res.writeHead(statusOf(id)).end('{}'), 2);
  });
  return listenOnLoopback(server);
}

let cli: BuiltCli;
let prod: LoopbackServer;
let canary: LoopbackServer;
let file: string;
const dir = mkdtempSync(join(tmpdir(), 'sweep-cli-config-'));
const write = (name: string, config: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
};

beforeAll(async () => {
  cli = buildCli();
  prod = await upstream(() => 200);
  canary = await upstream((id) => (id >= 98 && id <= 100 ? 404 : 200));
  file = write('status-sweep.config.json', {
    targets: [
      { name: 'prod', urlTemplate: `${prod.url}/items/{id}` },
      { name: 'canary', urlTemplate: `${canary.url}/items/{id}` },
    ],
    schedules: [{ name: 'hourly', expression: 'rate(1 hour)', start: 1, end: 200 }],
  });
}, 120_000);
afterAll(async () => {
  cli.remove();
  await prod.close();
  await canary.close();
});

describe('the CLI on the config file', () => {
  it('sweeps the target --target names, with its template', async () => {
    const run = await cli.run(['--config', file, '--target', 'canary', '--end', '10', '--json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ target: 'canary', total: 10, verdict: 'ok' });
  });

  it('exits 1 when --compare-target differs, Markdown listing the differing range', async () => {
    const run = await cli.run([
      '--config',
      file,
      '--compare-target',
      'canary',
      '--end',
      '200',
      '--format',
      'markdown',
    ]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('| compared with | canary |');
    expect(run.stdout).toContain('| differences | 200→404: 98-100 |');
  });

  it('lists the differing ranges in JUnit as a failing test case', async () => {
    const run = await cli.run([
      '--config',
      file,
      '--compare-target',
      'canary',
      '--format',
      'junit',
    ]);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /name="same outcome on canary"><failure message="3 ids differ">200→404: 98-100</,
    );
  });

  it('refuses an unknown target in one line naming the nearest, exit 2', async () => {
    const run = await cli.run(['--config', file, '--target', 'canery']);

    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'status-sweep: --target "canery" is not a target of the config file (did you mean "canary"? targets: prod, canary)',
    );
  });

  it('refuses a misspelt key in the file naming its path and the nearest key, exit 2', async () => {
    const bad = write('bad.json', { targets: [{ name: 'x', urlTemplat: `${prod.url}/{id}` }] });
    const run = await cli.run(['--config', bad]);

    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `status-sweep: ${bad}: targets[0].urlTemplat is not a known key (did you mean "urlTemplate"?)`,
    );
  });

  it('prints the resolved plan with the monthly cost on paper and its prices dated', async () => {
    const run = await cli.run(['config', '--config', file]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('prod  GET');
    expect(run.stdout).toContain('hourly  prod ids 1-200  rate(1 hour)  ~720 sweeps/month');
    expect(run.stdout).toMatch(/monthly cost on paper \(us-east-1 list prices of \d{4}-\d{2}/);
  });
});

describe('npm run serve --config', () => {
  it('serves every target of the file: a request names its target', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'dev/serve.ts', '--config', file, '--port', '0', '--metrics', 'off'],
      { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      let stderr = '';
      child.stderr.setEncoding('utf8');
      while (!/listening on (\S+),/.test(stderr)) {
        const [chunk] = (await once(child.stderr, 'data')) as [string];
        stderr += chunk;
      }
      const url = /listening on (\S+),/.exec(stderr)?.[1];

      const response = await fetch(`${url}/sweeps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ target: 'canary', start: 97, end: 99 }),
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        target: 'canary',
        ids: { '200': '97', '404': '98-99' },
      });
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
