import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { migrate, migrationStatus, openPglite, openPostgres, type Database } from '@app/db';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createLogger } from '../logger.js';
import { DatabaseOpenError } from '../startup/database-open-error.js';
import { databaseTarget } from '../startup/database-url.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** While a step outlasts this, a line says it is still going (a slow disk, a busy machine). */
const STILL_WORKING_MS = 10_000;

/**
 * Opens PostgreSQL (`DATABASE_URL`) or PGlite in `DATA_DIR`, and applies the migrations from the
 * repository's `supabase/` folder. A first start can take tens of seconds on a slow machine
 * (PGlite creates its database, then every migration runs), so each step is logged at info as it
 * starts and with its duration. A database that cannot be reached or opened is a
 * {@link DatabaseOpenError} naming the setting.
 *
 * @example
 * const { db, applied } = await openDatabase(config, { logger });
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'migrationsDir'>,
  { inMemory = false, logger = createLogger('silent') }: { inMemory?: boolean; logger?: Logger } = {},
) {
  const opening = performance.now();
  let step = 'opening the database';
  const ticker = setInterval(() => logger.info(`still ${step} (${seconds(performance.now() - opening)} so far)`), STILL_WORKING_MS);
  ticker.unref();
  try {
    return await openAndMigrate(config, inMemory, logger, opening, (now) => {
      step = now;
    });
  } finally {
    clearInterval(ticker);
  }
}

async function openAndMigrate(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'migrationsDir'>,
  inMemory: boolean,
  logger: Logger,
  opening: number,
  doing: (step: string) => void,
) {
  let db: Database;
  try {
    if (config.databaseUrl) {
      const { address, database } = databaseTarget(config.databaseUrl);
      logger.info({ engine: 'postgres', address, database }, `connecting to PostgreSQL at ${address}, database "${database}"`);
      db = await openPostgres({ connectionString: config.databaseUrl });
    } else if (inMemory) {
      db = await openPglite({});
    } else {
      const fresh = !existsSync(config.dataDir) || readdirSync(config.dataDir).length === 0;
      logger.info(
        { engine: 'pglite', dataDir: config.dataDir, fresh },
        fresh
          ? `creating the embedded database (PGlite) in ${config.dataDir}: the first start takes a while`
          : `opening the embedded database (PGlite) in ${config.dataDir}`,
      );
      mkdirSync(config.dataDir, { recursive: true });
      db = await openPglite({ dataDir: config.dataDir });
    }
  } catch (error) {
    throw new DatabaseOpenError(config, error);
  }
  const opened = performance.now();
  logger.info({ ms: Math.round(opened - opening) }, `database open in ${seconds(opened - opening)}`);
  doing('checking the migrations (or waiting while another instance applies them)');
  try {
    const { applied } = await migrate(db, {
      sqlDir: config.migrationsDir,
      onMigration: ({ version, name, index, total, ms }) => {
        const migration = `${version}_${name}`;
        if (ms === null) {
          doing(`applying migration ${index}/${total}: ${migration}`);
          logger.info({ migration, index, total }, `applying migration ${index}/${total}: ${migration}`);
        } else logger.info({ migration, index, total, ms }, `migration ${index}/${total} applied in ${ms} ms`);
      },
    });
    if (applied.length) {
      const ms = performance.now() - opened;
      logger.info({ applied, ms: Math.round(ms) }, `${applied.length} migrations applied in ${seconds(ms)}`);
    }
    return { db, applied };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** Database reachable and every migration applied (for `/readyz`). */
export async function isReady(db: Database, migrationsDir: string): Promise<boolean> {
  await db.query('select 1');
  const { pending } = await migrationStatus(db, { sqlDir: migrationsDir });
  return pending.length === 0;
}
