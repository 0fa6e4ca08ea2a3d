import type { Context } from 'aws-lambda';
import { loadConfig } from '../ground/config.js';
import { atColdStart, stackless } from '../ground/error-line.js';
import { inInvocation, writeLog } from '../ground/log.js';
import type { CustomWidgetEvent } from './event.js';
import { s3BaselineReader } from './read-baseline.js';
import { createIdMapWidget } from './widget.js';

/** Read once at cold start: RESULTS_BUCKET and SCHEDULE_NAMES, the names the sweep function reads. */
const config = atColdStart(() => loadConfig());
const widget = createIdMapWidget({
  read: config.resultsBucket === undefined ? undefined : s3BaselineReader(config.resultsBucket),
  schedules: config.scheduleNames,
  log: writeLog,
});

/** The dashboard's custom widget: one schedule's baseline (its latest sweep) as an id map (HTML). */
export const handler = stackless(
  (event: CustomWidgetEvent, context: Context): Promise<string> =>
    inInvocation(context, () => widget(event, context.getRemainingTimeInMillis())),
);
