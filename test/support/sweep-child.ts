/**
 * A sweep in a process of its own, for tests that the engine lets a process exit: sweeps
 * SWEEP_URL_TEMPLATE (ids 1..SWEEP_IDS) trusting SWEEP_CA, closes the pools, prints the
 * aggregate's statuses and errors as JSON, and then must end without process.exit().
 */
import { closePools, setTestTlsOptions } from '../../lambda/sweep/dispatcher.js';
import { sweep } from '../../lambda/sweep/index.js';

const { SWEEP_URL_TEMPLATE = '', SWEEP_IDS = '10', SWEEP_CA } = process.env;
if (SWEEP_CA) setTestTlsOptions({ ca: SWEEP_CA });
const result = await sweep({
  range: { start: 1, end: Number(SWEEP_IDS) },
  urlTemplate: SWEEP_URL_TEMPLATE,
  concurrency: 4,
  timeoutMs: 2_000,
  retries: 1,
});
await closePools();
process.stdout.write(`${JSON.stringify({ statuses: result.statuses, errors: result.errors })}\n`);
