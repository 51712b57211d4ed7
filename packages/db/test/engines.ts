import { randomUUID } from 'node:crypto';
import { checkRequirement, postgresAdminUrl, requirements } from '@app/test-support';
import { createTestDatabase, migrate, openPglite, openPostgres, type Database } from '../src/index.js';

export interface OpenedEngine {
  db: Database;
  url?: string;
  close(): Promise<void>;
}

export interface EngineCase {
  name: 'pglite' | 'postgres';
  /** false = skip (loudly; under CI checkRequirement throws instead). */
  available: () => boolean;
  /** A fresh, migrated database. */
  open(): Promise<OpenedEngine>;
}

let postgresAvailable: boolean | undefined;

export const engines: EngineCase[] = [
  {
    name: 'pglite',
    available: () => true,
    open: async () => {
      const db = await openPglite({});
      await migrate(db);
      return { db, close: () => db.close() };
    },
  },
  {
    name: 'postgres',
    available: () => (postgresAvailable ??= checkRequirement(requirements.postgres)),
    open: () => openMigratedPostgres(),
  },
];

export async function openMigratedPostgres(max = 10): Promise<OpenedEngine> {
  const testDb = await createTestDatabase(postgresAdminUrl());
  const db = await openPostgres({ connectionString: testDb.url, max });
  await migrate(db);
  return {
    db,
    url: testDb.url,
    close: async () => {
      await db.close();
      await testDb.drop();
    },
  };
}

/** Claims of a fresh anonymous-style visitor, as the server would pass them to asUser. */
export const visitor = (isAnonymous = true) => ({ sub: randomUUID(), role: 'authenticated', is_anonymous: isAnonymous });
