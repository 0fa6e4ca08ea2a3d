import { defineConfig } from 'vitest/config';
import { TIMED_TESTS } from './vitest.config.js';

/**
 * The timed tests compare a run's wall time with what the plan predicts, so they run one file at
 * a time after the main suite, with the machine's cores to themselves.
 */
export default defineConfig({
  test: {
    include: [TIMED_TESTS],
    testTimeout: 180_000,
    hookTimeout: 30_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
