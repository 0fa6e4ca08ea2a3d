import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { workerPath } from '../lib/build.js';
import { deployedEnv } from '../lib/deployed.js';
import { childEnv } from '../lib/procs.js';
import { type Section, table } from '../lib/report.js';
import { fmt, interleaved, median, range, type Variant, withRange } from '../lib/stats.js';
import type { BenchContext } from './context.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The CLI's prebuilt-bundle entry (the package's bin), once the cli branch has landed. */
const CLI_BIN = join(ROOT, 'bin', 'status-sweep.mjs');
const TARGET_RATIO = 5;

/**
 * Item 7: from spawning the CLI to its first request reaching a loopback server, against the
 * whole life of `node -e 0` on the same machine. The server runs here, in the orchestrating
 * process, which is otherwise idle while a variant runs.
 */
export async function startUp(ctx: BenchContext): Promise<Section> {
  let firstRequest: ((at: number) => void) | undefined;
  const server = createServer((_req, res) => {
    firstRequest?.(performance.now());
    firstRequest = undefined;
    res.end('{}');
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items/{id}`;
  const cli = existsSync(CLI_BIN);
  const { deployed } = cli ? { deployed: undefined } : await ctx.bundles();
  const command: { label: string; args: string[]; env: Record<string, string> } = cli
    ? {
        label: '`node bin/status-sweep.mjs` (the package’s bin: the prebuilt CLI bundle), 1 id',
        args: [CLI_BIN, '--target', target, '--start', '1', '--end', '1'],
        env: {},
      }
    : {
        label: 'the deployed bundle through a tiny runner (bench/workers/cold.ts), 1 id',
        args: [
          workerPath('cold'),
          deployed?.module ?? '',
          JSON.stringify({ start: 1, end: 1, concurrency: 1, retries: 0 }),
          '0',
        ],
        env: deployed ? deployedEnv(deployed, target) : {},
      };
  const toFirstRequest = async (): Promise<number> => {
    const arrived = new Promise<number>((resolve) => {
      firstRequest = resolve;
    });
    const started = performance.now();
    const child = spawn(process.execPath, command.args, {
      env: childEnv(command.env),
      stdio: 'ignore',
      cwd: ROOT,
    });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`${command.args[0]} exited (${code}) before any request`);
    });
    const at = await Promise.race([arrived, exited]);
    await exited.catch(() => undefined);
    return at - started;
  };
  const bare = async (): Promise<number> => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await once(child, 'exit');
    return performance.now() - started;
  };
  const reps = ctx.quick ? 5 : 15;
  const variants: Variant<number>[] = [
    { name: 'cli', run: toFirstRequest },
    { name: 'bare', run: bare },
  ];
  let results: Map<string, number[]>;
  try {
    ctx.log(`start-up: ${reps} interleaved rounds`);
    results = await interleaved(variants, reps, 2);
  } finally {
    server.close();
  }
  const first = results.get('cli') ?? [];
  const empty = results.get('bare') ?? [];
  const ratio = median(first) / median(empty);
  const pairs = first.map((f, i) => f / (empty[i] ?? f));
  return {
    title: '7. The CLI starts fast: spawn to first request',
    body: [
      'Wall time from spawn to the first request arriving at a loopback server, against spawn to',
      `exit of \`node -e 0\`, both on Node ${process.version} without tsx; medians of ${reps} interleaved rounds.`,
      ...(cli
        ? []
        : [
            'The prebuilt CLI bundle has not landed on this branch yet, so the deployed bundle stands in.',
          ]),
      '',
      table(
        ['process', 'spawn → first request (or exit)'],
        [
          [command.label, withRange(first, fmt.ms)],
          ['`node -e 0`', withRange(empty, fmt.ms)],
        ],
      ),
    ].join('\n'),
    targets: [
      {
        what: `7. start to first request vs node -e 0 (${cli ? 'CLI bin' : 'deployed bundle runner'})`,
        measured: `${fmt.x(ratio)} (${range(pairs, fmt.x)})`,
        target: `≤ ${TARGET_RATIO}x`,
        met: ratio <= TARGET_RATIO,
      },
    ],
  };
}
