import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Ids answer after 300 ms: a client can leave while its sweep runs. */
let upstream: FaultUpstream;
beforeAll(async () => {
  upstream = await startFaultUpstream(() => ({ type: 'status', status: 200 }), {
    latencyMs: 300,
  });
});
afterAll(() => upstream?.close());

/** Sends `head` (and `body`) on a raw socket, then hangs up after `afterMs`. */
async function leave(port: number, request: string, afterMs: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(request);
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  socket.destroy();
}

describe('npm run serve when a client disconnects', () => {
  it('writes one line and no stack, mid-body or mid-sweep, and keeps serving', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'dev/serve.ts', '--port', '0', '--target', upstream.urlTemplate],
      {
        cwd: ROOT,
        env: { ...process.env, METRICS_MODE: 'off' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    try {
      for (let i = 0; i < 300 && !/a schedule.s sweep: .*\n/.test(stderr); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);
      const banner = stderr;
      const body = '{"start":1,"end":5}';
      const head = (length: number) =>
        `POST /sweeps HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;

      await leave(port, `${head(body.length + 10)}${body}`, 200); // mid-body
      await leave(port, `${head(body.length)}${body}`, 100); // mid-sweep
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the sweep ends, unheard
      const after = await fetch(`http://127.0.0.1:${port}/sweeps?start=1&end=2`);

      expect(after.status).toBe(200);
      const lines = stderr.slice(banner.length).trim().split('\n').filter(Boolean);
      const left = 'status-sweep: the client left before its answer (POST /sweeps)';
      expect(lines).toEqual([left, left]);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
