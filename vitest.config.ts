import { defineConfig } from 'vitest/config';

// Tests run in forked processes: a crashing simulation model (harness/) must take
// down one worker, never the run. Property suites are CPU-bound, so two forks match
// the two cores of the reference machine.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'reports/out/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    // JUnit XML in cocotb 2.1's shape for every run (MPSA_JUNIT, default reports/out/results.xml).
    reporters: ['default', './harness/junit-reporter.ts'],
  },
});
