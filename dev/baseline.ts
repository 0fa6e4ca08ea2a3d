/**
 * Baselines for the local CLI: `--baseline prev.json` compares the sweep with an earlier `--json`
 * output, `--save out.json` keeps this one; both the same diff as the deployed function.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { type Baseline, changesSince, parseBaseline } from '../lambda/baseline/baseline.js';
import { defaultUnexpected } from '../lambda/baseline/expected.js';
import type { Changes } from '../lambda/contract/changes.js';
import type { SweepResponse } from '../lambda/contract/response.js';
import { countIds, parseSpans } from '../lambda/sweep/data.js';

/** The baseline a `--baseline` file holds; throws a message fit for a usage error. */
export async function loadBaseline(path: string | undefined): Promise<Baseline | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`--baseline ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  try {
    return parseBaseline(JSON.parse(text));
  } catch (error) {
    throw new Error(`--baseline ${path} is not a --json output: ${(error as Error).message}`);
  }
}

/** The response with its changes since `baseline` (untouched without one). */
export function compareWithBaseline<R extends SweepResponse>(
  response: R,
  baseline: Baseline | undefined,
): R {
  if (baseline === undefined) return response;
  const current = { ...response, unexpected: parseSpans(response.unexpectedIds) };
  return { ...response, changes: changesSince(current, baseline, defaultUnexpected) };
}

/** Writes the response where `--save` says, as `--json` prints it. */
export async function saveResponse(
  path: string | undefined,
  response: SweepResponse,
): Promise<void> {
  if (path !== undefined) await writeFile(path, `${JSON.stringify(response)}\n`);
}

/** True when anything moved: an id changed outcome, or ids are new. */
export function hasChanges(changes: Changes): boolean {
  return Object.keys(changes.transitions).length > 0 || changes.new.count > 0;
}

/** The summary's changes block, in people's words. */
export function formatChanges(
  changes: Changes,
  row: (label: string, text: string) => string,
): string[] {
  const since = `since sweep ${changes.baseline.sweepId}${changes.baseline.endedAt ? ` (${changes.baseline.endedAt})` : ''}`;
  if (!hasChanges(changes)) return [row('changes', `none ${since}`)];
  const set = (label: string, { count, ids }: { count: number; ids: string }) =>
    count === 0 ? [] : [row('', `${label.padEnd(17)} ×${String(count).padEnd(6)} ${ids}`)];
  return [
    row('changes', since),
    ...set('newly unexpected', changes.newlyUnexpected),
    ...set('recovered', changes.recovered),
    ...set('still unexpected', changes.stillUnexpected),
    ...set('new ids', changes.new),
    ...Object.entries(changes.transitions).map(([key, ids]) =>
      row('', `${key.padEnd(17)} ×${String(countIds(ids)).padEnd(6)} ${ids}`),
    ),
  ];
}
