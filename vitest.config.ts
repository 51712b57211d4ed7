import { defineConfig } from 'vitest/config';

// One run for the whole workspace; each package keeps its own config beside its code.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'tests/*/vitest.config.ts'],
  },
});
