import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Creates a throwaway database on a real PostgreSQL server (default: TEST_DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/postgres) and returns its URL; `drop()` removes it.
 *
 * @example
 * const { url, drop } = await createTestDatabase();
 * try { … } finally { await drop(); }
 */
export async function createTestDatabase(adminUrl?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = adminUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `app_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(admin, (client) => client.query(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(admin, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
