import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sdkAliases } from './build/sdk-source.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // The SDK from source, so widget tests run without building it first.
  resolve: { alias: sdkAliases },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'chat-widget',
    root: here('.'),
    environment: 'jsdom',
    setupFiles: ['test/setup.ts'],
    // Vitest stubs CSS imports with an empty string unless told otherwise: the widget's stylesheet
    // is part of what it renders.
    css: { include: [/\/src\/theme\/widget\.css/] },
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
