import { defineConfig } from 'vitest/config';

// The n8n end-to-end tests: a real n8n 1.110.1 (installed once into a cache folder outside the
// workspace), real PostgreSQL, the reference server, a fake LLM. One file at a time: each starts
// n8n processes, and the machine has 2 cores.
export default defineConfig({
  test: {
    name: 'n8n',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    // A cold n8n install takes ~3.5 min; n8n starts in ~5-15 s.
    testTimeout: 180_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
