import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@bursary/source'] },
  ssr: { resolve: { conditions: ['@bursary/source'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 30_000 },
});
