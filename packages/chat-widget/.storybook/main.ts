import type { StorybookConfig } from '@storybook/preact-vite';
import { sdkAliases } from '../build/sdk-source.js';

const config: StorybookConfig = {
  framework: '@storybook/preact-vite',
  stories: ['../src/**/*.stories.tsx'],
  addons: ['@storybook/addon-vitest', '@storybook/addon-a11y'],
  core: { disableTelemetry: true },
  viteFinal(vite) {
    // The SDK from source, like the unit tests: stories need no build of it.
    vite.resolve ??= {};
    const given = vite.resolve.alias ?? [];
    const list = Array.isArray(given) ? given : Object.entries(given).map(([find, replacement]) => ({ find, replacement }));
    vite.resolve.alias = [...sdkAliases, ...list];
    return vite;
  },
};
export default config;
