import { fileURLToPath } from 'node:url';

const source = (path: string) => fileURLToPath(new URL(`../../async-tasks/src/${path}`, import.meta.url));

/**
 * The SDK's entries as source files: tests, stories and the script-tag bundle then run without
 * the SDK being built first. One map for every tool, so an entry that moves is changed once.
 */
export const sdkSource: Record<string, string> = {
  '@app/async-tasks': source('index.ts'),
  '@app/async-tasks/contract': source('contract/index.ts'),
  '@app/async-tasks/testing': source('testing.ts'),
};

/**
 * `sdkSource` as Vite aliases. Each matches the whole specifier: a plain string alias also
 * rewrites subpaths, which would turn `@app/async-tasks/testing` into a path under the root
 * entry's file.
 */
export const sdkAliases = Object.entries(sdkSource).map(([name, path]) => ({
  find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`),
  replacement: path,
}));
