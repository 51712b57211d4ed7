import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'examples',
    include: ['*.e2e.test.ts'],
    // Each file starts the reference server, a fake LLM, the example's web server and one Chromium;
    // scenarios run one after another on them. One file at a time on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
