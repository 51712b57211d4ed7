#!/usr/bin/env node
// Runs the pgTAP suite (supabase/tests/*.sql) with pg_prove against a throwaway database on
// the real PostgreSQL server: create it, apply the shim and the migrations with psql (each
// file in one transaction, like the Supabase CLI), install pgTAP, run pg_prove, drop it.
//
//   node supabase/tests/run-pgtap.mjs [pg_prove args…]
//   TEST_DATABASE_URL=postgres://user@host:5432/postgres   admin URL (default below)
//
// Exit code: pg_prove's (0 = all passed). Missing pg_prove/pgTAP: skips loudly (exit 0)
// unless CI is set, then fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const testsDir = dirname(fileURLToPath(import.meta.url));
const supabaseDir = dirname(testsDir);
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const inCi = process.env.CI === 'true' || process.env.CI === '1';

const psql = (url, args, opts = {}) =>
  execFileSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], { stdio: ['ignore', 'ignore', 'inherit'], ...opts });

function requirementsMet() {
  const problems = [];
  if (spawnSync('pg_prove', ['--version'], { stdio: 'ignore' }).status !== 0) problems.push('pg_prove not found');
  const psqlWorks = spawnSync('psql', [adminUrl, '-X', '-tAc', 'select 1'], { stdio: 'ignore' }).status === 0;
  if (!psqlWorks) problems.push(`cannot connect to ${adminUrl}`);
  else {
    const out = spawnSync('psql', [adminUrl, '-X', '-tAc', "select count(*) from pg_available_extensions where name = 'pgtap'"], {
      encoding: 'utf8',
    });
    if (out.stdout.trim() !== '1') problems.push('the pgtap extension is not installed on the server');
  }
  if (problems.length === 0) return true;
  const message = `pgTAP tests need PostgreSQL, pgTAP and pg_prove (${problems.join('; ')}). Install: apt-get install -y postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl`;
  if (inCi) {
    console.error(`[CI] ${message}`);
    process.exit(1);
  }
  console.warn(`\n  ⚠  SKIPPED — ${message}\n`);
  process.exit(0);
}

requirementsMet();
const name = `app_pgtap_${Date.now().toString(36)}_${process.pid}`;
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const dbUrl = url.toString();

psql(adminUrl, ['-c', `create database ${name}`]);
let status = 1;
try {
  psql(dbUrl, ['-1', '-f', join(supabaseDir, 'shim', 'supabase-shim.sql')], { stdio: ['ignore', 'ignore', 'ignore'] });
  const migrationsDir = join(supabaseDir, 'migrations');
  for (const file of readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    psql(dbUrl, ['-1', '-f', join(migrationsDir, file)]);
  }
  psql(dbUrl, ['-c', 'create extension pgtap']);
  const files = readdirSync(testsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => join(testsDir, f));
  if (files.length === 0 || !existsSync(files[0])) throw new Error('no pgTAP test files in supabase/tests');
  const prove = spawnSync('pg_prove', ['-d', dbUrl, ...process.argv.slice(2), ...files], { stdio: 'inherit' });
  status = prove.status ?? 1;
} finally {
  psql(adminUrl, ['-c', `drop database if exists ${name} with (force)`]);
}
process.exit(status);
