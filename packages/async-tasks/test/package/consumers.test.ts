import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, installPacked, type PackedInstall } from './packed-install.js';

const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

/** Each consumer project: its module kind, and whether it may import nanostores itself (ESM only). */
const projects = [
  { name: 'esm', ownStores: true },
  { name: 'cjs', ownStores: false },
  { name: 'bundler', ownStores: true },
];

describe('the packed package compiles in strict consumer projects (skipLibCheck off)', () => {
  let packed: PackedInstall;
  beforeAll(() => {
    packed = installPacked([fixture('consumers')]);
    for (const { name, ownStores } of projects) {
      const dir = join(packed.dir, 'consumers', name);
      cpSync(fixture('consumers/uses-every-entry.ts'), join(dir, 'uses-every-entry.ts'));
      if (ownStores) cpSync(fixture('consumers/nanostores-interop.ts'), join(dir, 'nanostores-interop.ts'));
    }
  });
  afterAll(() => packed?.remove());

  // A full type check of React's, Vue's and supabase-js's declarations too: seconds per project.
  it.each(projects)('$name', { timeout: 120_000 }, ({ name }) => {
    const { status, stdout, stderr } = packed.node([tsc, '-p', `consumers/${name}/tsconfig.json`]);
    expect(stdout + stderr).toBe(''); // tsc prints every error it finds
    expect(status).toBe(0);
  });
});
