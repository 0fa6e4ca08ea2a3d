import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:http2';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCli, buildCli } from '../support/cli.js';
import { ok } from '../support/fault-tour.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';
import { startStallingOrigin } from '../support/stalling-origin.js';

const engine = useLoopbackEngine();
const CHILD = fileURLToPath(new URL('../support/sweep-child.ts', import.meta.url));
/** Far more than the child's sweep needs, far less than a socket left open would hold it. */
const EXIT_WITHIN_MS = 15_000;

describe('a process that swept', () => {
  it('exits after closePools() though an HTTP/2 server sent GOAWAY and never closed the socket', async () => {
    const goaway = { type: 'goaway', code: constants.NGHTTP2_NO_ERROR, answered: true } as const;
    const upstream = engine.closeAfter(
      await startFaultUpstream((id) => (id === 3 ? goaway : ok()), {
        transport: 'h2',
        tls: engine.certs().valid,
        latencyMs: 20,
      }),
    );
    const env = { ...withoutAws(process.env), SWEEP_URL_TEMPLATE: upstream.urlTemplate };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...env, SWEEP_CA: engine.certs().ca, SWEEP_IDS: '10' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS);

    const [code, signal] = await once(child, 'exit');
    clearTimeout(timer);

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(JSON.parse(stdout)).toMatchObject({ statuses: { '200': 10 } });
    // Whether the server still counts the socket open here races with the child's exit closing
    // it, so that is not asserted: the server itself never closes (fault-upstream closes only on
    // close()), which is the case under test.
  });
});

describe('the CLI', () => {
  let cli: BuiltCli;
  beforeAll(() => {
    cli = buildCli();
  });
  afterAll(() => cli?.remove());
  /** The bound: a CLI that printed its summary is gone this soon after. */
  const EXIT_AFTER_SUMMARY_MS = 2_000;

  /** Runs the CLI against `urlTemplate` (40 ids); resolves with its result and exit delay. */
  async function runToExit(urlTemplate: string): Promise<{ result: unknown; exitMs: number }> {
    let printedAt = Number.POSITIVE_INFINITY;
    const args = ['--json', '--target', urlTemplate, '--end', '40'];
    const options = ['--concurrency', '8', '--timeout', '500', '--retries', '0'];
    const child = spawn(process.execPath, [cli.bundle, ...args, ...options], {
      env: withoutAws(process.env),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      printedAt = Math.min(printedAt, performance.now());
      stdout += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS);
    await once(child, 'exit');
    clearTimeout(timer);
    return { result: JSON.parse(stdout), exitMs: performance.now() - printedAt };
  }

  it('exits within 2 s of printing its result though the target stalled every TLS handshake', async () => {
    const origin = await startStallingOrigin(engine.certs().valid);
    try {
      const { result, exitMs } = await runToExit(origin.urlTemplate);

      expect(result).toMatchObject({ errors: { timeout: 40 } });
      expect(exitMs).toBeLessThan(EXIT_AFTER_SUMMARY_MS);
    } finally {
      await origin.close();
    }
  });

  it.each([
    ['never answered', { type: 'hang' }],
    ['stalled each body after its headers', { type: 'trickle', chunks: 2, everyMs: 60_000 }],
  ] as const)(
    'exits within 2 s of printing its result though the target %s',
    async (_, behaviour) => {
      const upstream = engine.closeAfter(await startFaultUpstream(() => behaviour));

      const { result, exitMs } = await runToExit(upstream.urlTemplate);

      expect(result).toMatchObject({ errors: { timeout: 40 } });
      expect(exitMs).toBeLessThan(EXIT_AFTER_SUMMARY_MS);
    },
  );
});

function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_')));
}
