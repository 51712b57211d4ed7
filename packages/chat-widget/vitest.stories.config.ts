import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { sdkAliases } from './build/sdk-source.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Same flags as @app/test-support's CHROMIUM_ARGS (not imported: this file is bundled for the browser runner).
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Every story as a test in real Chromium (play functions and an axe check per story). */
export default defineConfig({
  plugins: [storybookTest({ configDir: here('.storybook') })],
  resolve: { alias: sdkAliases },
  test: {
    name: 'chat-widget-stories',
    root: here('.'),
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args } }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
