import { baselineKey } from '../baseline/store.js';
import { errorFields } from '../ground/error-line.js';
import type { LogWriter } from '../ground/log.js';
import { renderIdMapMessage as message, renderIdMap } from '../idmap/index.js';
import { type CustomWidgetEvent, scheduleOf } from './event.js';
import { mapSweepOf } from './map-sweep-schema.js';
import { BaselineTooLargeError, type ReadBaseline } from './read-baseline.js';

/**
 * A read gets this long at most: S3 in-region returns even a 20 MB baseline in about a second,
 * and a dashboard waiting longer shows nothing better.
 */
export const MAX_WIDGET_READ_MS = 5_000;
/** Kept back from the invocation's remaining time to render and answer. */
export const WIDGET_MARGIN_MS = 1_000;

/** The widget's documentation, shown by the dashboard's "Get documentation". */
export const WIDGET_DOCS = `## Status Sweep id map
Draws one schedule's baseline (\`baselines/<schedule>.json\` in the results bucket): its latest sweep, or its latest complete one when the latest was cut short. Ids in rows, coloured by outcome; changes since the sweep before outlined.

Parameter: \`schedule\`, one of the deployed schedules' names, e.g. \`{"schedule": "kanto"}\`.`;

export interface WidgetDeps {
  /** Undefined when no results bucket is deployed: the widget says so. */
  readonly read: ReadBaseline | undefined;
  /** The deployed schedules: the only names the widget reads. */
  readonly schedules: readonly string[];
  readonly log: LogWriter;
}

/**
 * The custom widget: reads the named schedule's baseline within `remainingMs` and answers its id
 * map as HTML. Never throws: every failure of its own is a readable message (its cause, with the
 * stack, goes to the log only).
 */
export function createIdMapWidget(deps: WidgetDeps) {
  return async (event: CustomWidgetEvent, remainingMs: number): Promise<string> => {
    if (event.describe === true) return WIDGET_DOCS;
    const schedule = scheduleOf(event);
    if (typeof schedule !== 'string' || !deps.schedules.includes(schedule)) {
      const known = deps.schedules.length > 0 ? deps.schedules.join(', ') : 'none';
      return message(
        `This widget names ${typeof schedule === 'string' ? `the schedule "${schedule}", which is not deployed` : 'no schedule'}: set its parameter "schedule" to one of the deployed schedules (${known}).`,
      );
    }
    if (deps.read === undefined) {
      return message(
        'No results bucket is deployed (RESULTS_BUCKET): there are no baselines to draw.',
      );
    }
    const key = baselineKey(schedule);
    const budget = Math.min(MAX_WIDGET_READ_MS, remainingMs - WIDGET_MARGIN_MS);
    let text: string | undefined;
    try {
      text = await deps.read(schedule, AbortSignal.timeout(Math.max(0, budget)));
    } catch (error) {
      deps.log({
        level: 'ERROR',
        message: 'id map widget: baseline not read',
        schedule,
        error: errorFields(error),
      });
      return message(
        `The latest sweep of "${schedule}" could not be read: ${readFailure(error, budget)}.`,
      );
    }
    if (text === undefined) {
      return message(`Schedule "${schedule}" has no sweep yet (no ${key}).`);
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return message(`${key} is not JSON.`);
    }
    const input = mapSweepOf(document);
    if ('problems' in input) {
      return message(
        `${key} is not a sweep response the map can draw: ${input.problems.join(', ')} missing or malformed.`,
      );
    }
    try {
      return renderIdMap(input.sweep);
    } catch (error) {
      deps.log({
        level: 'ERROR',
        message: 'id map widget: not drawn',
        schedule,
        error: errorFields(error),
      });
      const why = error instanceof RangeError ? error.message : 'an error of ours (logged)';
      return message(`The latest sweep of "${schedule}" could not be drawn: ${why}.`);
    }
  };
}

function readFailure(error: unknown, budget: number): string {
  if (error instanceof BaselineTooLargeError) return error.message;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `the results bucket did not answer within ${Math.max(0, budget)} ms`;
  }
  return `${name || 'error'} (logged)`;
}
