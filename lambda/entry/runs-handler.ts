import { loadConfig } from '../ground/config.js';
import { atColdStart, stackless } from '../ground/error-line.js';
import { createRunsHandlers } from './runs.js';

/** Read once at cold start: a bad or missing setting (STATE_MACHINE_ARN, RESULTS_BUCKET) fails the init. */
export const handler = stackless(atColdStart(() => createRunsHandlers(loadConfig())).dispatch);
