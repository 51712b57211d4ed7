import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['*.e2e.test.ts'],
    // Each file starts the product and a browser: generous, and one file at a time on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
