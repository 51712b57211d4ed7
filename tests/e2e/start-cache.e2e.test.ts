import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `npm start` skips the install and the builds whose inputs are unchanged (scripts/lib/up-to-date.mjs).
// Checked on a small workspace of its own: `a` is built, `b` is built on `a`, `c` is source only
// (read by `b`'s build), and `a`'s tests use `b` (a cycle, as the SDK's tests use the server).
interface Target {
  name: string;
  dir: string;
  key: string;
}
interface UpToDate {
  buildTargets(root: string): Target[];
  installKey(root: string, pnpmVersion: string): string;
  outputHash(root: string, dir: string): string | null;
  staleReason(root: string, target: Target, stamp: { inputs: string; outputs: string | null } | undefined): string | null;
}
const libPath = new URL('../../scripts/lib/up-to-date.mjs', import.meta.url).href;
const lib = (await import(libPath)) as UpToDate;

let root: string;
const write = (file: string, text: string) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};
const manifest = (name: string, extra: object = {}) => JSON.stringify({ name, version: '0.0.0', ...extra });
const keys = () => Object.fromEntries(lib.buildTargets(root).map((t) => [t.name, t.key]));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'async-chat-start-cache-'));
  write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - tools/*\n');
  write('package.json', manifest('root'));
  write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
  write('tsconfig.json', '{}');
  write('packages/a/package.json', manifest('a', { scripts: { build: 'tsup' }, devDependencies: { b: 'workspace:*' } }));
  write('packages/a/src/index.ts', 'export const a = 1;\n');
  write('packages/a/src/index.test.ts', 'test');
  write(
    'packages/b/package.json',
    manifest('b', { scripts: { build: 'tsup' }, dependencies: { a: 'workspace:*' }, devDependencies: { c: 'workspace:*' } }),
  );
  write('packages/b/src/index.ts', 'export const b = 1;\n');
  write('tools/c/package.json', manifest('c'));
  write('tools/c/src/index.ts', 'export const c = 1;\n');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("npm start's up-to-date check", () => {
  it('builds the packages with a build script, each after what it builds on', () => {
    expect(lib.buildTargets(root).map((t) => t.name)).toEqual(['a', 'b']);
    expect(keys()).toEqual(keys());
  });

  it("a change reaches the package's own build and the builds on top of it, nothing else", () => {
    const before = keys();
    write('packages/b/src/index.ts', 'export const b = 2;\n');
    const afterB = keys();
    expect(afterB.a).toBe(before.a); // a's tests use b: not an input of a's build
    expect(afterB.b).not.toBe(before.b);

    write('packages/a/src/index.ts', 'export const a = 2;\n');
    const afterA = keys();
    expect(afterA.a).not.toBe(afterB.a);
    expect(afterA.b).not.toBe(afterB.b);

    write('tools/c/src/index.ts', 'export const c = 2;\n');
    const afterC = keys();
    expect(afterC.a).toBe(afterA.a);
    expect(afterC.b).not.toBe(afterA.b);

    write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n# another version of a tool\n");
    expect(Object.values(keys())).not.toContain(afterC.a);
  });

  it('tests and generated folders are not build inputs', () => {
    const before = keys();
    write('packages/a/src/index.test.ts', 'another test');
    write('packages/a/dist/index.js', 'built');
    write('packages/a/node_modules/x/index.js', 'installed');
    expect(keys()).toEqual(before);
  });

  it('a build is stale when never stamped, when its inputs changed, or when its output is not the one stamped', () => {
    const [target] = lib.buildTargets(root) as [Target];
    expect(lib.staleReason(root, target, undefined)).toMatch(/never built/);
    write('packages/a/dist/index.js', 'built');
    const stamp = { inputs: target.key, outputs: lib.outputHash(root, 'packages/a') };
    expect(lib.staleReason(root, target, stamp)).toBeNull();
    write('packages/a/dist/index.js', 'built from other sources');
    expect(lib.staleReason(root, target, stamp)).toMatch(/dist/);
    rmSync(join(root, 'packages/a/dist'), { recursive: true });
    expect(lib.staleReason(root, target, stamp)).toMatch(/dist/);
    expect(lib.staleReason(root, target, { ...stamp, inputs: 'older' })).toMatch(/sources changed/);
  });

  it('the install is keyed on the lockfile and the manifests, not on sources', () => {
    const before = lib.installKey(root, '10.34.9');
    write('packages/a/src/index.ts', 'export const a = 3;\n');
    expect(lib.installKey(root, '10.34.9')).toBe(before);
    write('tools/c/package.json', manifest('c', { dependencies: { zod: '4.6.7' } }));
    const afterManifest = lib.installKey(root, '10.34.9');
    expect(afterManifest).not.toBe(before);
    write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n# zod\n");
    expect(lib.installKey(root, '10.34.9')).not.toBe(afterManifest);
    expect(lib.installKey(root, '10.35.0')).not.toBe(lib.installKey(root, '10.34.9'));
  });
});
