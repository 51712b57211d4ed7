import type { ServerDatabase } from '../db/types.js';
import { taskComplete } from './worker-calls.js';

/** Completes one attempt (`task_complete`): true when it applied. */
export type CompleteTask = (id: string, attempt: number, result: unknown) => Promise<boolean>;

interface Waiting {
  id: string;
  attempt: number;
  result: string;
  conversationId: string | null;
  resolve(ok: boolean): void;
  reject(error: unknown): void;
}

/**
 * Completions of many attempts in one transaction, as a database groups commits: the first goes
 * at once, and those that come while a batch is being written go together in the next. A
 * completion is the one step that waits for its commit to reach disk, and every notifying commit
 * holds PostgreSQL's notification lock until then, so one commit for a batch is what lets
 * completions pass a few hundred a second. A batch that fails (one result the database refuses)
 * is written again one by one, so each caller gets its own answer.
 *
 * @example
 * const complete = createCompletionBatches(db);
 * await complete(task.id, task.attempt, { content }); // true: completed
 */
export function createCompletionBatches(db: ServerDatabase, { maxBatch = 200 }: { maxBatch?: number } = {}) {
  const queue: Waiting[] = [];
  let writing = false;

  async function writeBatches() {
    writing = true;
    try {
      while (queue.length > 0) {
        // Conversation order, so concurrent batches take the conversations' counters in one order.
        const batch = queue.splice(0, maxBatch).sort((a, b) => (a.conversationId ?? '').localeCompare(b.conversationId ?? ''));
        try {
          const { rows } = await db.asWorker((tx) =>
            tx.query<{ ok: boolean }>(
              `select public.task_complete(c.id, c.attempt, c.result) as ok
                 from unnest($1::uuid[], $2::int[], $3::jsonb[]) with ordinality as c(id, attempt, result, n)
                order by c.n`,
              [batch.map((w) => w.id), batch.map((w) => w.attempt), batch.map((w) => w.result)],
            ),
          );
          for (const [i, w] of batch.entries()) w.resolve(rows[i]?.ok === true);
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else await Promise.all(batch.map((w) => alone(w)));
        }
      }
    } finally {
      writing = false;
    }
  }

  async function alone(w: Waiting) {
    try {
      w.resolve(await db.asWorker((tx) => taskComplete(tx, w.id, w.attempt, JSON.parse(w.result))));
    } catch (error) {
      w.reject(error);
    }
  }

  return (id: string, attempt: number, result: unknown, conversationId: string | null = null) =>
    new Promise<boolean>((resolve, reject) => {
      queue.push({ id, attempt, result: JSON.stringify(result), conversationId, resolve, reject });
      if (!writing) void writeBatches();
    });
}
