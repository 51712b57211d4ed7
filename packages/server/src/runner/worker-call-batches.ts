import type { Queryable, ServerDatabase } from '../db/types.js';
import { taskComplete, taskOutput, taskProgress, taskStart } from './worker-calls.js';

/** A worker call of one attempt that may share a transaction with other attempts' calls. */
export type BatchedCall =
  | { type: 'start'; id: string; attempt: number; message: string }
  | { type: 'progress'; id: string; attempt: number; message: string }
  | { type: 'output'; id: string; attempt: number; text: string; replace: boolean }
  | { type: 'complete'; id: string; attempt: number; result: unknown };

/** Applies one call (true when it applied); calls that come together share a commit. */
export type WorkerCallBatches = (call: BatchedCall & { conversationId: string | null }) => Promise<boolean>;

interface Waiting {
  call: BatchedCall;
  conversationId: string | null;
  resolve(ok: boolean): void;
  reject(error: unknown): void;
}

// One statement per kind of call for the whole batch, in the batch's order.
const STATEMENTS = {
  start: `select public.task_start(c.id, c.attempt, null, c.message) as ok
            from unnest($1::uuid[], $2::int[], $3::text[]) with ordinality as c(id, attempt, message, n) order by c.n`,
  progress: `select public.task_progress(c.id, c.attempt, c.message) as ok
               from unnest($1::uuid[], $2::int[], $3::text[]) with ordinality as c(id, attempt, message, n) order by c.n`,
  output: `select public.task_output(c.id, c.attempt, c.text, c.replace) as ok
             from unnest($1::uuid[], $2::int[], $3::text[], $4::boolean[]) with ordinality as c(id, attempt, text, replace, n) order by c.n`,
  complete: `select public.task_complete(c.id, c.attempt, c.result) as ok
               from unnest($1::uuid[], $2::int[], $3::jsonb[]) with ordinality as c(id, attempt, result, n) order by c.n`,
} as const;

function params(type: BatchedCall['type'], calls: BatchedCall[]): unknown[] {
  const ids = calls.map((c) => c.id);
  const attempts = calls.map((c) => c.attempt);
  switch (type) {
    case 'start':
    case 'progress':
      return [ids, attempts, calls.map((c) => (c as { message: string }).message)];
    case 'output':
      return [ids, attempts, calls.map((c) => (c as { text: string }).text), calls.map((c) => (c as { replace: boolean }).replace)];
    case 'complete':
      return [ids, attempts, calls.map((c) => JSON.stringify((c as { result: unknown }).result))];
  }
}

/** The call on its own, as worker-calls.ts makes it. */
function alone(tx: Queryable, call: BatchedCall): Promise<boolean> {
  switch (call.type) {
    case 'start':
      return taskStart(tx, call.id, call.attempt, call.message);
    case 'progress':
      return taskProgress(tx, call.id, call.attempt, call.message);
    case 'output':
      return taskOutput(tx, call.id, call.attempt, call.text, call.replace);
    case 'complete':
      return taskComplete(tx, call.id, call.attempt, call.result);
  }
}

/**
 * The runner's writes of many attempts in one transaction, as a database groups commits: the
 * first call goes at once, and those that come while a batch is being written go together in the
 * next (two batches may be written at once). Every write notifies, and PostgreSQL holds one lock for all notifying commits from their
 * commit until their WAL is flushed, so each notifying transaction waits for the disk on its
 * own: a batch makes that one wait for all of its calls (starts, status lines, streamed text,
 * results with their messages). A batch that fails (one call the database refuses) is written
 * again call by call, each in its own transaction, so every caller gets its own answer.
 * Calls are sorted by conversation, so two batches take the conversations' counters in one order.
 *
 * @example
 * const calls = createWorkerCallBatches(db);
 * await calls({ type: 'complete', id, attempt, result: { content }, conversationId }); // true: completed
 */
export function createWorkerCallBatches(
  db: ServerDatabase,
  { maxBatch = 200, parallel = 2 }: { maxBatch?: number; parallel?: number } = {},
): WorkerCallBatches {
  const queue: Waiting[] = [];
  let writing = 0;

  // Up to `parallel` batches at once: an attempt has one call in flight and a conversation one
  // open reply, so two batches never touch the same task or conversation.
  async function writeBatches() {
    writing += 1;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch).sort((a, b) => (a.conversationId ?? '').localeCompare(b.conversationId ?? ''));
        try {
          const answers = await db.asWorker(async (tx) => {
            const ok = new Map<Waiting, boolean>();
            for (const type of Object.keys(STATEMENTS) as Array<BatchedCall['type']>) {
              const ofType = batch.filter((w) => w.call.type === type);
              if (ofType.length === 0) continue;
              const { rows } = await tx.query<{ ok: boolean }>(
                STATEMENTS[type],
                params(
                  type,
                  ofType.map((w) => w.call),
                ),
              );
              for (const [i, w] of ofType.entries()) ok.set(w, rows[i]?.ok === true);
            }
            return ok;
          });
          for (const w of batch) w.resolve(answers.get(w) ?? false);
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else await Promise.all(batch.map((w) => each(w)));
        }
      }
    } finally {
      writing -= 1;
    }
  }

  async function each(w: Waiting) {
    try {
      w.resolve(await db.asWorker((tx) => alone(tx, w.call)));
    } catch (error) {
      w.reject(error);
    }
  }

  return ({ conversationId, ...call }) =>
    new Promise<boolean>((resolve, reject) => {
      queue.push({ call: call as BatchedCall, conversationId, resolve, reject });
      if (writing < parallel) void writeBatches();
    });
}
