import { defineConfig } from 'vitest/config';

/** Tests whose assertions are about elapsed time: they run alone, after the rest (vitest.timed.config.ts). */
export const TIMED_TESTS = 'test/**/*.timed.test.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', TIMED_TESTS],
    // Loopback servers and child processes: generous timeouts so a busy 2-core machine never flakes.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
