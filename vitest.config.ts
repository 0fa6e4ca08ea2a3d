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
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most files wait
    // on loopback sockets and timers rather than compute, so two run side by side.
    maxWorkers: 2,
    // `npm test` runs with --coverage: V8's own counters, no instrumentation pass. The floors are
    // what the suite measured when they were set, rounded down a little: raise them, never lower.
    coverage: {
      provider: 'v8',
      include: ['lambda/**/*.ts', 'infra/**/*.ts', 'dev/**/*.ts'],
      exclude: ['**/*.d.ts'],
      reporter: ['text-summary'],
      // Measured 81.5 % statements, 72.9 % branches, 80.8 % functions, 82.7 % lines (765 tests).
      thresholds: { statements: 80, branches: 71, functions: 79, lines: 81 },
    },
  },
});
