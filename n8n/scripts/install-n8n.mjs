#!/usr/bin/env node
// Installs (or reuses) a pinned n8n outside the pnpm workspace. n8n is ~1.4 GB and
// must never become a workspace dependency. Prints the install folder on stdout.
//
//   node n8n/scripts/install-n8n.mjs            # install or reuse, print the folder
//   N8N_INSTALL_DIR=/some/dir node ...          # choose the folder
//   node n8n/scripts/install-n8n.mjs --update-lock   # re-resolve and rewrite n8n/runtime/package-lock.json
//
// Exported for the e2e test: ensureN8n(), n8nInstallDir(), n8nBin().
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '1.110.1';

// n8n/runtime holds the package.json (n8n pinned, plus the xlsx override every 1.x needs: the
// upstream xlsx points at a tarball outside the npm registry) and its package-lock.json, so every
// install gets the same 2,000 packages. To move to another n8n version: edit the version there and
// in N8N_VERSION, then `node n8n/scripts/install-n8n.mjs --update-lock`.
const runtimeDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'runtime');

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(join(runtimeDir, 'package-lock.json')))
    .digest('hex')
    .slice(0, 16);
}

export function n8nInstallDir() {
  if (process.env.N8N_INSTALL_DIR) return process.env.N8N_INSTALL_DIR;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'async-chat', `n8n-${N8N_VERSION}`);
}

export function n8nBin(dir = n8nInstallDir()) {
  return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

function installedStamp(dir) {
  try {
    return readFileSync(join(dir, '.install-complete'), 'utf8').trim();
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
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * Ensures n8n is installed; returns { dir, bin, reused, seconds }.
 * Throws when the install fails (no network / registry, no compiler for sqlite3, ...).
 */
export async function ensureN8n({ log = (s) => process.stderr.write(s), updateLock = false } = {}) {
  const dir = n8nInstallDir();
  const started = Date.now();
  const stamp = `${N8N_VERSION} ${lockHash()}`;
  if (!updateLock && installedStamp(dir) === stamp && existsSync(n8nBin(dir))) {
    return { dir, bin: n8nBin(dir), reused: true, seconds: 0 };
  }
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, '.install-complete'), { force: true });
  copyFileSync(join(runtimeDir, 'package.json'), join(dir, 'package.json'));
  const args = updateLock ? ['install', '--no-audit', '--no-fund'] : ['ci', '--prefer-offline', '--no-audit', '--no-fund'];
  if (!updateLock) copyFileSync(join(runtimeDir, 'package-lock.json'), join(dir, 'package-lock.json'));
  log(`[install-n8n] npm ${args.join(' ')} in ${dir} (cold: 3.5-8 min)\n`);
  await run('npm', args, dir, log);
  if (!existsSync(n8nBin(dir))) throw new Error(`n8n binary missing after install: ${n8nBin(dir)}`);
  if (updateLock) copyFileSync(join(dir, 'package-lock.json'), join(runtimeDir, 'package-lock.json'));
  writeFileSync(join(dir, '.install-complete'), `${N8N_VERSION} ${lockHash()}\n`);
  return { dir, bin: n8nBin(dir), reused: false, seconds: Math.round((Date.now() - started) / 1000) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureN8n({ updateLock: process.argv.includes('--update-lock') })
    .then((r) => {
      process.stderr.write(`[install-n8n] n8n ${N8N_VERSION} ${r.reused ? 'reused' : `installed in ${r.seconds}s`} at ${r.dir}\n`);
      process.stdout.write(`${r.dir}\n`);
    })
    .catch((err) => {
      process.stderr.write(`[install-n8n] failed: ${err.message}\n`);
      process.exit(1);
    });
}
