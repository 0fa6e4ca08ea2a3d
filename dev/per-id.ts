import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { SweepResponse } from '../lambda/contract/response.js';
import { NOT_ATTEMPTED, outcomeCode, outcomeKey, parseSpans } from '../lambda/sweep/data.js';
import type { SettledId } from '../lambda/sweep/index.js';

/** How many of the slowest ids the summary names. */
export const SLOWEST_IDS = 5;

/** One line of `--out`: NDJSON, one id per line. */
export interface IdLine {
  readonly id: number;
  /** "200", "timeout", "notAttempted": the keys of the response's `ids`. */
  readonly outcome: string;
  /** The final attempt's, when it got a status; else null. */
  readonly latencyMs: number | null;
  /** Null where the sweep did not report it (local distributed runs). */
  readonly attempts: number | null;
}

export interface IdRecorder {
  /** The engine's per-id hook: nothing is kept per id but the slowest few. */
  readonly onSettle: (settled: SettledId) => void;
  /** The slowest ids that got a status, slowest first. */
  slowest(): readonly { readonly id: number; readonly latencyMs: number }[];
  /** Writes what the hook never heard of (ids not attempted) and closes the file. */
  finish(response: SweepResponse): Promise<void>;
}

/** Records ids as they settle: the slowest in memory, every one to `outFile` if given. */
export function idRecorder(outFile?: string): IdRecorder {
  const out: WriteStream | undefined = outFile ? createWriteStream(outFile) : undefined;
  const slowest: { id: number; latencyMs: number }[] = [];
  let heard = 0;
  const write = (line: IdLine) => out?.write(`${JSON.stringify(line)}\n`);
  return {
    onSettle: ({ id, outcome, latencyMs, attempts }) => {
      heard++;
      write({
        id,
        outcome: outcomeKey(outcomeCode(outcome)),
        latencyMs: latencyMs ?? null,
        attempts,
      });
      if (latencyMs === undefined) return;
      const last = slowest[SLOWEST_IDS - 1];
      if (slowest.length === SLOWEST_IDS && last && last.latencyMs >= latencyMs) return;
      slowest.push({ id, latencyMs });
      slowest.sort((a, b) => b.latencyMs - a.latencyMs);
      slowest.length = Math.min(slowest.length, SLOWEST_IDS);
    },
    slowest: () => slowest,
    finish: async (response) => {
      if (!out) return;
      // Shards of a local distributed run do not report ids one by one: outcomes from `ids`.
      const fromIds = heard === 0 ? Object.keys(response.ids) : [NOT_ATTEMPTED];
      for (const outcome of fromIds) {
        for (const [first, last] of parseSpans(response.ids[outcome] ?? '')) {
          for (let id = first; id <= last; id++) {
            const attempts = outcome === NOT_ATTEMPTED ? 0 : null;
            if (!out.write(`${JSON.stringify({ id, outcome, latencyMs: null, attempts })}\n`)) {
              await once(out, 'drain');
            }
          }
        }
      }
      out.end();
      await once(out, 'close');
    },
  };
}
