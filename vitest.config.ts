import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one on a 2-core runner, which ran the
    // suite in series. Most files wait on anvil, child processes or sockets, so two overlap well.
    maxWorkers: 2,
    setupFiles: ['./test/support/fastCheckSeed.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/summaryReporter.ts'],
  },
});
