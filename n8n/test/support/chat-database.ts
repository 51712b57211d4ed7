import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, migrate, openPostgres } from '@app/db';
import { postgresAdminUrl } from '@app/test-support';

export interface ChatDatabase {
  /** Owner connection (the server uses it; the test uses it to observe and to simulate time). */
  adminUrl: string;
  /** A login role granted only `async_worker`: what n8n's Postgres credential uses. */
  workerUrl: string;
  admin: pg.Pool;
  drop(): Promise<void>;
}

/**
 * A throwaway database with the migrations applied, a login role for n8n granted `async_worker`,
 * and a test-only log of every task row change (status, status message and the reply's text so
 * far per version), so the order of the status messages and of the streamed text can be asserted
 * without racing the notifications.
 */
export async function createChatDatabase(): Promise<ChatDatabase> {
  const { url, drop } = await createTestDatabase();
  const db = await openPostgres({ connectionString: url, max: 2 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  const role = `n8n_worker_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const admin = new pg.Pool({ connectionString: url, max: 3 });
  admin.on('error', () => undefined);
  await admin.query(`create role ${role} login password '${password}'`);
  await admin.query(`grant async_worker to ${role}`);
  await admin.query(`
    create table public.test_task_log (
      n bigserial primary key, task_id uuid not null, version bigint, attempt int, status text,
      status_message text, error jsonb, execution_id text, partial_text text, at timestamptz not null default clock_timestamp()
    );
    create function public.test_log_task() returns trigger language plpgsql security definer set search_path = '' as $$
    begin
      insert into public.test_task_log (task_id, version, attempt, status, status_message, error, execution_id, partial_text)
      values (new.id, new.version, new.attempt, new.status, new.status_message, new.error, new.execution_id, new.partial_text);
      return new;
    end $$;
    create trigger test_log_task after insert or update on public.async_tasks
      for each row execute function public.test_log_task();
  `);
  const workerUrl = new URL(url);
  workerUrl.username = role;
  workerUrl.password = password;
  return {
    adminUrl: url,
    workerUrl: workerUrl.toString(),
    admin,
    drop: async () => {
      await admin.end().catch(() => undefined);
      await drop();
      const server = new pg.Client({ connectionString: postgresAdminUrl() });
      await server.connect();
      try {
        await server.query(`drop role if exists ${role}`);
      } finally {
        await server.end();
      }
    },
  };
}
