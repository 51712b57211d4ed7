import pg from 'pg';
import { BENCH_APPLICATION_NAME } from './round-trips.js';

/** A connection of the bench itself (not counted as the system's round trips). */
export async function benchClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: BENCH_APPLICATION_NAME });
  await client.connect();
  return client;
}

/**
 * `n` chat turns in one transaction, each by its own visitor in its own conversation, through
 * `send_chat_message` as the visitor would (role authenticated, the visitor's claims): n user
 * messages and n pending `chat.reply` tasks, all visible (and notified) at the commit. Resolves
 * with the moment of the commit (performance.now()).
 */
export async function sendChatBacklog(client: pg.Client, n: number): Promise<number> {
  await client.query(`
    do $$
    begin
      for i in 1..${Number(n)} loop
        perform set_config('request.jwt.claims',
          json_build_object('sub', gen_random_uuid(), 'role', 'authenticated')::text, true);
        perform public.send_chat_message(null, 'bench message ' || i, 'bench-' || i, 120);
      end loop;
    end
    $$`);
  return performance.now();
}

/** Polls `sql` (a count) until it reaches `n`; resolves with the moment it did. */
export async function waitForCount(client: pg.Client, sql: string, n: number, { pollMs = 20, timeoutMs = 600_000 } = {}): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ n: string }>(sql);
    if (Number(rows[0]?.n ?? 0) >= n) return performance.now();
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${n}: ${sql} gave ${rows[0]?.n}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Transactions committed in the database so far (every session). */
export async function commits(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>('select xact_commit as n from pg_stat_database where datname = current_database()');
  return Number(rows[0]?.n ?? 0);
}
