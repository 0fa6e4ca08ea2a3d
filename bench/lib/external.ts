import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's python, where apt's python3-aiohttp lives (not a pyenv one on PATH). */
export const DEBIAN_PYTHON = '/usr/bin/python3';
const AIOHTTP_SCRIPT = join(import.meta.dirname, '..', 'aiohttp', 'sweep.py');

/**
 * Installs Debian's wrk and python3-aiohttp when missing and we are root (the bench machine);
 * otherwise leaves them missing, and the rows that need them say so. Returns what is available.
 */
export async function ensureTools(
  log: (line: string) => void,
): Promise<{ wrk: boolean; aiohttp: boolean }> {
  const has = async () => ({ wrk: await hasWrk(), aiohttp: await hasAiohttp() });
  const now = await has();
  const missing = [...(now.wrk ? [] : ['wrk']), ...(now.aiohttp ? [] : ['python3-aiohttp'])];
  if (missing.length === 0 || process.getuid?.() !== 0) return now;
  log(`installing ${missing.join(', ')} (apt-get)`);
  try {
    await run('apt-get', ['install', '-y', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (error) {
    log(`apt-get failed: ${(error as Error).message.split('\n')[0]}`);
  }
  return has();
}

async function hasWrk(): Promise<boolean> {
  try {
    await run('wrk', ['--version']).catch((e: { stdout?: string }) => {
      // wrk prints its version and exits 1.
      if (!e.stdout?.includes('wrk')) throw e;
    });
    return true;
  } catch {
    return false;
  }
}

async function hasAiohttp(): Promise<boolean> {
  if (!existsSync(DEBIAN_PYTHON)) return false;
  try {
    await run(DEBIAN_PYTHON, ['-c', 'import aiohttp']);
    return true;
  } catch {
    return false;
  }
}

export interface AiohttpSweep {
  readonly ms: number;
  readonly cpuMs: number;
  readonly answered: number;
}

/** The seed's script in a fresh python process: its first sweep, then `warm` more. */
export async function aiohttpSweeps(
  template: string,
  ids: number,
  concurrency: number,
  warm: number,
  caFile?: string,
): Promise<{ first: AiohttpSweep; warm: AiohttpSweep[]; aiohttp: string }> {
  const args = [AIOHTTP_SCRIPT, template, String(ids), String(concurrency), String(warm)];
  const { stdout } = await run(DEBIAN_PYTHON, caFile ? [...args, caFile] : args, {
    maxBuffer: 1_048_576,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

export interface WrkResult {
  readonly requests: number;
  readonly ms: number;
  /** wrk's own CPU (user + system), from its parent shell's cutime/cstime. */
  readonly cpuMs: number;
}

/**
 * wrk with one thread and `connections` connections for `seconds`, walking the ids 1..ids like
 * the other clients (a Lua request() function). Its CPU is read from the shell that waited for it.
 */
export async function wrk(
  template: string,
  ids: number,
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const url = new URL(template.replace('{id}', '1'));
  const [before, after] = new URL(template).pathname.split(encodeURIComponent('{id}'));
  const script = join(tmpdir(), `bench-wrk-${process.pid}.lua`);
  await writeFile(
    script,
    [
      'local n = 0',
      'request = function()',
      `  n = n % ${ids} + 1`,
      `  return wrk.format(nil, "${before}" .. n .. "${after ?? ''}")`,
      'end',
    ].join('\n'),
  );
  const wrkArgs = ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, url.origin];
  const { stdout } = await run('sh', [
    '-c',
    // $$ is the shell: after wrk exits, its children's CPU is in the shell's cutime/cstime.
    `wrk "$@"; echo STAT $(cat /proc/$$/stat)`,
    'sh',
    ...wrkArgs,
  ]);
  const requests = Number(/(\d+) requests in ([\d.]+)(m?s)/.exec(stdout)?.[1]);
  const duration = /\d+ requests in ([\d.]+)(m?s)/.exec(stdout);
  const ms = Number(duration?.[1]) * (duration?.[2] === 'ms' ? 1 : 1000);
  const stat = stdout.split('STAT ')[1]?.split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[13]) + Number(stat[14]);
  const { stdout: hz } = await run('getconf', ['CLK_TCK']);
  if (!(requests > 0)) throw new Error(`wrk: no requests in ${stdout}`);
  return { requests, ms, cpuMs: (ticks * 1000) / Number(hz) };
}
