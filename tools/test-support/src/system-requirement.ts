import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { postgresBinDir } from './private-postgres.js';

/** A system component some tests need, with how to get it. */
export interface SystemRequirement {
  name: string;
  available: () => boolean;
  install: string;
}

const commandWorks = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
};

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const requirements = {
  chromium: {
    name: 'Chromium',
    available: () => existsSync(CHROMIUM_PATH),
    install: 'apt-get install -y chromium (or set CHROMIUM_PATH)',
  },
  postgres: {
    name: 'PostgreSQL server',
    available: () => commandWorks('psql', [postgresAdminUrl(), '-tAc', 'select 1']),
    install: 'run PostgreSQL ≥ 15 on 127.0.0.1:5432 or set TEST_DATABASE_URL',
  },
  postgresServerBinaries: {
    name: 'PostgreSQL server binaries (initdb, postgres)',
    available: () => postgresBinDir() !== null && (process.getuid?.() !== 0 || commandWorks('setpriv', ['--version'])),
    install: 'apt-get install -y postgresql (or set PG_BIN_DIR)',
  },
} satisfies Record<string, SystemRequirement>;

/** URL of a PostgreSQL server where tests may create throwaway databases. */
export function postgresAdminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * Whether tests needing `requirement` should run. Missing outside CI: prints a loud notice and
 * returns false (the caller skips). Missing with CI=true: throws, because CI must run them all.
 */
export function checkRequirement(requirement: SystemRequirement): boolean {
  if (requirement.available()) return true;
  const message = `${requirement.name} is not available: these tests need it. Install: ${requirement.install}`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`[CI] ${message}`);
  console.warn(`\n  ⚠  SKIPPED — ${message}\n`);
  return false;
}
