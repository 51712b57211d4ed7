import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'stress',
    include: ['*.stress.test.ts'],
    // Each file starts server processes and hundreds of clients: one file at a time on 2 cores,
    // generous timeouts (the suites bound themselves with their own deadlines).
    testTimeout: 240_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
