// `pnpm --dir bench exec tsx conversation-list.ts`: what the conversation list and a regenerate
// cost in the database. One visitor with 100 and with 1,000 conversations of 10 messages each:
// the first page of list_conversations (20), a page deep in the list (after the cursor), and
// regenerate_chat_reply. Prints the median and p95 of each over repeated calls, on PGlite and, when
// one is reachable, on PostgreSQL (TEST_DATABASE_URL or 127.0.0.1:5432).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, type Database, migrate, openPglite, openPostgres } from '@app/db';

const sqlDir = join(import.meta.dirname, '..', 'supabase');
const ROUNDS = 60;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function time(work: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return `median ${ms(quantile(samples, 0.5))}, p95 ${ms(quantile(samples, 0.95))}`;
}

/** `count` conversations of the visitor, each with 5 questions and 5 answers, written directly (as the service). */
async function seed(db: Database, owner: string, count: number) {
  await db.asService(async (tx) => {
    await tx.query(
      `with c as (
         insert into public.conversations (owner_id, title, created_at)
         select $1::uuid, 'conversation ' || g, now() - make_interval(mins => g) from generate_series(1, $2::int) g
         returning id
       )
       insert into public.chat_messages (conversation_id, owner_id, role, content)
       select c.id, $1::uuid, case when m % 2 = 0 then 'user' else 'assistant' end, repeat('words ', 40)
         from c, generate_series(1, 10) m`,
      [owner, count],
    );
  });
}

async function measure(engine: string, db: Database) {
  await migrate(db, { sqlDir });
  for (const count of [100, 1000]) {
    const owner = randomUUID();
    await seed(db, owner, count);
    const claims = { sub: owner, role: 'authenticated' };
    const first = () => db.asUser(claims, (tx) => tx.query('select * from public.list_conversations(20)'));
    const cursor = await db.asUser(claims, (tx) =>
      tx.query<{ micros: string; id: string }>(
        'select last_activity_micros::text as micros, id from public.list_conversations(100) order by last_activity_micros limit 1',
      ),
    );
    const deep = () =>
      db.asUser(claims, (tx) =>
        tx.query('select * from public.list_conversations(20, $1::bigint, $2::uuid)', [cursor.rows[0]!.micros, cursor.rows[0]!.id]),
      );
    console.log(`${engine}, ${count} conversations × 10 messages: first page ${await time(first)}`);
    console.log(`${engine}, ${count} conversations × 10 messages: page after the 100th ${await time(deep)}`);
  }
  // A regenerate: a question answered, then made again ROUNDS times (each a new task and two updated messages).
  const owner = randomUUID();
  const claims = { sub: owner, role: 'authenticated' };
  const sent = await db.asUser(claims, (tx) =>
    tx.query<{ r: { task: { id: string }; message: { id: string } } }>("select public.send_chat_message(null, 'Question', $1) as r", [
      randomUUID(),
    ]),
  );
  const question = sent.rows[0]!.r.message.id;
  const finish = async () => {
    await db.asService((tx) =>
      tx.query("update public.async_tasks set status = 'completed', finished_at = now() where owner_id = $1::uuid and status = 'pending'", [
        owner,
      ]),
    );
  };
  await finish();
  console.log(
    `${engine}, regenerate_chat_reply (then the task marked done): ${await time(async () => {
      await db.asUser(claims, (tx) => tx.query('select public.regenerate_chat_reply($1::uuid, $2)', [question, randomUUID()]));
      await finish();
    })}`,
  );
}

const pglite = await openPglite();
await measure('PGlite', pglite);
await pglite.close();
try {
  const database = await createTestDatabase();
  const pg = await openPostgres({ connectionString: database.url });
  try {
    await measure('PostgreSQL', pg);
  } finally {
    await pg.close();
    await database.drop();
  }
} catch (error) {
  console.log(`PostgreSQL: skipped (${(error as Error).message})`);
}
