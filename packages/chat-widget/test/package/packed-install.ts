import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const sdkDir = join(packageDir, '..', 'async-tasks');

/** What a consumer has installed beside the widget (taken from this package's own node_modules). */
const CONSUMER_DEPENDENCIES = ['preact', 'react', 'react-dom', '@types/react', 'vue', 'jsdom'];
/**
 * The React 18 consumer: React 18 (this package's `react-18` and `react-dom-18`) copied in as
 * `react` and `react-dom`, with react-dom's scheduler; copies, so that react-dom finds this React.
 */
function installReact18(dir: string) {
  const reactDom = realpathSync(join(packageDir, 'node_modules', 'react-dom-18'));
  const copies = {
    react: join(packageDir, 'node_modules', 'react-18'),
    'react-dom': reactDom,
    scheduler: join(reactDom, '..', 'scheduler'),
  };
  for (const [name, from] of Object.entries(copies)) {
    rmSync(join(dir, 'node_modules', name), { recursive: true, force: true });
    cpSync(realpathSync(from), join(dir, 'node_modules', name), { recursive: true, dereference: true });
  }
}

/** A consumer project with the packed widget installed. */
export interface PackedInstall {
  dir: string;
  /** Runs `node ...args` in the project: its exit code and what it wrote. */
  node(args: string[]): { status: number | null; stdout: string; stderr: string };
  remove(): void;
}

/**
 * Packs the widget as it would be published (`pnpm pack`: the `files` list, the manifest as
 * rewritten for publishing) into a fresh project's node_modules, beside the SDK's built package
 * and what a consumer would have, and copies `fixtures` into the project. The tests use what
 * ships, so they need a build of both packages first.
 */
export function installPacked(fixtures: string[] = [], { react18 = false } = {}): PackedInstall {
  for (const dir of [packageDir, sdkDir]) {
    if (!existsSync(join(dir, 'dist', 'index.js'))) throw new Error(`${dir}/dist is missing: run \`pnpm build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'chat-widget-consumer-'));
  execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: packageDir, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
  const installed = join(dir, 'node_modules', '@app', 'chat-widget');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', installed, '--strip-components=1']);
  symlinkSync(sdkDir, join(dir, 'node_modules', '@app', 'async-tasks'), 'dir');
  for (const name of CONSUMER_DEPENDENCIES) {
    const target = join(dir, 'node_modules', name);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(packageDir, 'node_modules', name), target, 'dir');
  }
  if (react18) installReact18(dir);
  for (const fixture of fixtures) cpSync(fixture, join(dir, fixture.split('/').pop()!), { recursive: true });
  return {
    dir,
    node(args) {
      const { status, stdout, stderr } = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
      return { status, stdout, stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A file or folder under test/package/fixtures. */
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A tool of this package's node_modules (`typescript/bin/tsc`). */
export const tool = (path: string) => join(packageDir, 'node_modules', path);
