#!/usr/bin/env node
// Installs (or reuses) a pinned n8n outside the pnpm workspace. n8n is ~1.4 GB and
// must never become a workspace dependency. Prints the install folder on stdout.
//
//   node n8n/scripts/install-n8n.mjs            # install or reuse, print the folder
//   N8N_INSTALL_DIR=/some/dir node ...          # choose the folder
//
// Exported for the e2e test: ensureN8n(), n8nInstallDir(), n8nBin().
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '1.110.1';

/** Every n8n 1.x needs this: the upstream xlsx points at a tarball outside the npm registry. */
const OVERRIDES = { xlsx: 'npm:@e965/xlsx@0.20.3' };

export function n8nInstallDir() {
  if (process.env.N8N_INSTALL_DIR) return process.env.N8N_INSTALL_DIR;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'async-chat', `n8n-${N8N_VERSION}`);
}

export function n8nBin(dir = n8nInstallDir()) {
  return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

function installedVersion(dir) {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
    return existsSync(join(dir, '.install-complete')) ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

function run(cmd, args, cwd, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => log(d.toString()));
    child.stderr.on('data', (d) => log(d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/**
 * Ensures n8n is installed; returns { dir, bin, reused, seconds }.
 * Throws when the install fails (no network / registry, no compiler for sqlite3, ...).
 */
export async function ensureN8n({ log = (s) => process.stderr.write(s) } = {}) {
  const dir = n8nInstallDir();
  const started = Date.now();
  if (installedVersion(dir) === N8N_VERSION) {
    return { dir, bin: n8nBin(dir), reused: true, seconds: 0 };
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'async-chat-n8n-runtime',
        private: true,
        description: 'Pinned n8n for the async-chat n8n tests; installed by n8n/scripts/install-n8n.mjs',
        dependencies: { n8n: N8N_VERSION },
        overrides: OVERRIDES,
      },
      null,
      2,
    ) + '\n',
  );
  const hasLock = existsSync(join(dir, 'package-lock.json'));
  const args = hasLock
    ? ['ci', '--prefer-offline', '--no-audit', '--no-fund']
    : ['install', '--no-audit', '--no-fund'];
  log(`[install-n8n] npm ${args.join(' ')} in ${dir} (cold: ~3.5 min)\n`);
  await run('npm', args, dir, log);
  if (!existsSync(n8nBin(dir))) throw new Error(`n8n binary missing after install: ${n8nBin(dir)}`);
  writeFileSync(join(dir, '.install-complete'), `${N8N_VERSION}\n`);
  return { dir, bin: n8nBin(dir), reused: false, seconds: Math.round((Date.now() - started) / 1000) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureN8n()
    .then((r) => {
      process.stderr.write(
        `[install-n8n] n8n ${N8N_VERSION} ${r.reused ? 'reused' : `installed in ${r.seconds}s`} at ${r.dir}\n`,
      );
      process.stdout.write(`${r.dir}\n`);
    })
    .catch((err) => {
      process.stderr.write(`[install-n8n] failed: ${err.message}\n`);
      process.exit(1);
    });
}
