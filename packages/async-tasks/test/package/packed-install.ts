import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** What a consumer has installed beside the SDK (taken from this package's own node_modules). */
const CONSUMER_DEPENDENCIES = ['nanostores', 'react', 'react-dom', 'vue', '@supabase/supabase-js', '@types/react', '@types/node'];

/** A consumer project with the packed SDK installed; `run` starts Node in it. */
export interface PackedInstall {
  dir: string;
  /** Runs `node ...args` in the project: its exit code and what it wrote. */
  node(args: string[], env?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  remove(): void;
}

/**
 * Packs the package as it would be published (`pnpm pack`: the `files` list, the manifest as
 * rewritten for publishing), unpacks it into a fresh project's node_modules beside the packages
 * a consumer would have, and copies `fixtures` (files or folders) into the project. The tests
 * use what ships, so they need a build first.
 */
export function installPacked(fixtures: string[] = []): PackedInstall {
  if (!existsSync(join(packageDir, 'dist', 'index.js'))) {
    throw new Error('dist is missing: run `pnpm --filter @app/async-tasks build` first');
  }
  const dir = mkdtempSync(join(tmpdir(), 'async-tasks-consumer-'));
  execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: packageDir, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
  const installed = join(dir, 'node_modules', '@app', 'async-tasks');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', installed, '--strip-components=1']);
  for (const name of CONSUMER_DEPENDENCIES) {
    const target = join(dir, 'node_modules', name);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(packageDir, 'node_modules', name), target, 'dir');
  }
  for (const fixture of fixtures) cpSync(fixture, join(dir, fixture.split('/').pop()!), { recursive: true });
  return {
    dir,
    node(args, env = {}) {
      const { status, stdout, stderr } = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
      return { status, stdout, stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A file or folder under test/package/fixtures. */
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The entries the package exports (`.`, `./react`, …), as import specifiers. */
export function exportedEntries(exportsMap: Record<string, unknown>): string[] {
  return Object.keys(exportsMap)
    .filter((key) => key !== './package.json')
    .map((key) => `@app/async-tasks${key.slice(1)}`);
}
