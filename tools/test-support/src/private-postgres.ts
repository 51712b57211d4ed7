import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type StartedProcess } from './child-process.js';
import { freePort } from './free-port.js';

/** How the server goes down: `fast` is a clean shutdown (SIGINT), `immediate` a crash (SIGQUIT: no checkpoint, WAL recovery on start). */
export type PostgresStopMode = 'fast' | 'immediate';

export interface PrivatePostgres {
  /** Superuser URL of the instance's `postgres` database. */
  adminUrl: string;
  port: number;
  stop(mode?: PostgresStopMode): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
  /** Stops it (if running) and deletes its data folder. */
  destroy(): Promise<void>;
}

const SIGNAL_FOR: Record<PostgresStopMode, NodeJS.Signals> = { fast: 'SIGINT', immediate: 'SIGQUIT' };

/** The newest `bin` folder of an installed PostgreSQL server (Debian puts them under /usr/lib/postgresql/<major>/bin), or PG_BIN_DIR. */
export function postgresBinDir(): string | null {
  if (process.env.PG_BIN_DIR) return existsSync(join(process.env.PG_BIN_DIR, 'postgres')) ? process.env.PG_BIN_DIR : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(root, majors[0]!, 'bin') : null;
}

/**
 * PostgreSQL refuses to run as root. As root, the server runs as the `postgres` user through
 * setpriv, which execs in place: the child's pid is the postmaster's, so signals reach it directly.
 */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, its own port, trust auth
 * on 127.0.0.1): a test can stop, crash and restart it without touching anyone else's database.
 *
 * @example
 * const pg = await startPrivatePostgres();
 * try { …; await pg.stop('immediate'); await pg.start(); … } finally { await pg.destroy(); }
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries found (apt-get install -y postgresql, or set PG_BIN_DIR)');
  const root = mkdtempSync(join(tmpdir(), 'private-pg-'));
  if (process.getuid?.() === 0)
    chownSync(root, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const dataDir = join(root, 'data');
  const [initdb, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-instructions',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'pipe' });

  const port = await freePort();
  let postmaster: StartedProcess | null = null;
  const start = async () => {
    const [command, args] = asServerUser(join(bin, 'postgres'), [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      root,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      '-c',
      'logging_collector=off',
    ]);
    postmaster = await startProcess(command, args, { ready: /database system is ready to accept connections/, timeoutMs: 60_000 });
  };
  const stop = async (mode: PostgresStopMode = 'fast') => {
    await postmaster?.stop(SIGNAL_FOR[mode]);
    postmaster = null;
  };

  try {
    await start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    destroy: async () => {
      await stop('fast');
      rmSync(root, { recursive: true, force: true });
    },
  };
}
