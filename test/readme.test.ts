import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCli, buildCli } from './support/cli.js';

/**
 * A fresh reader's path through the README: every shell command of its ```sh and ```bash blocks
 * is run here (the CLI through its bundle, on loopback only), or its block says why not with
 * `<!-- readme-test: skip (reason) -->` on the line before; a command the test does not know
 * fails it, so a new example cannot go untried by accident.
 */

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Commands this very run stands for: `npm ci` made the tree, `npm test` runs this test. */
const COVERED = new Set(['npm ci', 'npm test']);
/** The CLI, after any `NAME=value` settings for its environment (`MAX_IDS=50 npx status-sweep`). */
const CLI = /^((?:[A-Z][A-Z0-9_]*=\S*\s+)*)(npx status-sweep|npm start(?: -s)?(?: --)?)(?=\s|$)/;
/** A folder the examples write to: it must be one git ignores (checked below). */
const MKDIR = /^mkdir -p (\S+)$/;

interface Command {
  readonly text: string;
  /** `# exits N` in the command's comment; 0 otherwise. */
  readonly exitCode: number;
}

/** The fenced sh/bash blocks, each with its skip reason if it has one. */
function shellBlocks(markdown: string): { skip?: string; commands: Command[] }[] {
  const blocks: { skip?: string; commands: Command[] }[] = [];
  const fence = /(?:<!-- readme-test: skip \(([^)]+)\) -->\n)?```(?:sh|bash)\n([\s\S]*?)```/g;
  for (const [, skip, body = ''] of markdown.matchAll(fence)) {
    const lines = body.replace(/\\\n\s*/g, '').split('\n');
    const commands = lines
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
      .map((line) => {
        const comment = / {2,}# (.*)$/.exec(line);
        const exits = /exits (\d+)/.exec(comment?.[1] ?? '');
        return {
          text: (comment ? line.slice(0, comment.index) : line).trim(),
          exitCode: Number(exits?.[1] ?? 0),
        };
      });
    blocks.push({ skip, commands });
  }
  return blocks;
}

const blocks = shellBlocks(README);
const runnable = blocks
  .filter((block) => block.skip === undefined)
  .flatMap((block) => block.commands)
  .filter((command) => !COVERED.has(command.text));

let cli: BuiltCli;
let statusBefore: string;
beforeAll(() => {
  cli = buildCli();
  statusBefore = gitStatus();
});
afterAll(() => cli?.remove());

function gitStatus(): string {
  return execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' });
}

describe("the README's shell commands", () => {
  it('are all local CLI commands, or in a block that says why it is skipped', () => {
    expect(blocks.length).toBeGreaterThan(5);
    expect(runnable.length).toBeGreaterThan(5);
    for (const { text } of runnable) {
      const folder = MKDIR.exec(text)?.[1];
      if (folder !== undefined) {
        execFileSync('git', ['check-ignore', '-q', `${folder}/`], { cwd: ROOT }); // throws if not ignored
        continue;
      }
      expect(text, 'a command the README test does not know how to run').toMatch(CLI);
      // Loopback only: the demo upstream, never a host on the network.
      expect(text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    }
  });

  it.each(runnable.map((command) => [command.text, command] as const))(
    'runs %s',
    (_, { text, exitCode }) => {
      const script = text.replace(CLI, (_, settings: string) => {
        return `${settings}"${process.execPath}" "${cli.bundle}"`;
      });
      const env = Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => !/^(AWS_|METRICS_MODE|TARGET_URL_TEMPLATE|MAX_IDS|FORCE_TTY)/.test(name),
        ),
      );
      const run = spawnSync('bash', ['-c', script], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });

      expect(run.stderr, run.stderr).not.toMatch(/ {4}at /); // never a stack
      // A mistake is one line; a sweep reports no error of its own.
      if (exitCode === 2) expect(run.stderr.trim().split('\n')).toHaveLength(1);
      else expect(run.stderr).not.toMatch(/status-sweep: (?!warning)/);
      expect(run.status).toBe(exitCode);
    },
    150_000,
  );

  it('leave the tree as they found it (git status)', () => {
    expect(gitStatus()).toBe(statusBefore);
  });
});
