import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/preact-vite';

const config: StorybookConfig = {
  framework: '@storybook/preact-vite',
  stories: ['../src/**/*.stories.tsx'],
  addons: ['@storybook/addon-vitest', '@storybook/addon-a11y'],
  core: { disableTelemetry: true },
  viteFinal(vite) {
    // The SDK from source, like the unit tests: stories need no build of it.
    vite.resolve ??= {};
    vite.resolve.alias = {
      ...(vite.resolve.alias as Record<string, string>),
      '@app/async-tasks': fileURLToPath(new URL('../../async-tasks/src/index.ts', import.meta.url)),
    };
    return vite;
  },
};
export default config;
