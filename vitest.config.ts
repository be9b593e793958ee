import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // WxtVitest: storage and `browser` run against WXT's in-memory fake browser.
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/core/**/*.test.ts', 'tests/overlay/**/*.test.ts', 'tests/calls/**/*.test.ts', 'tests/background/**/*.test.ts', 'tests/ml/**/*.test.ts', 'tests/tools/**/*.test.ts', 'tests/storage/**/*.test.ts', 'tests/messaging/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // tfjs-backend-wasm registers process-wide handlers; one fork keeps model loads shared and memory low.
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
