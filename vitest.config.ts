import { defineConfig } from 'vitest/config';

// One run for the whole workspace; each package keeps its own config beside its code.
// The n8n end-to-end suite is its own step (`pnpm test:n8n`): it installs and runs a real n8n.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'packages/chat-widget/vitest.stories.config.ts', 'tests/*/vitest.config.ts'],
  },
});
