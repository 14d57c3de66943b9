import { defineConfig } from 'vitest/config';

// Cross-service suites start real processes (built services, throwaway
// servers); they run one file at a time so that two stacks never compete for
// the two cores of the machine.
export default defineConfig({
  resolve: { conditions: ['@bursary/source'] },
  ssr: { resolve: { conditions: ['@bursary/source'] } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'load/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
