import { describe, expect, it, vi } from 'vitest';
import type { Caller } from '../auth/access-token-verifier.js';
import type { AsyncTaskRow } from '../db/tables.js';
import type { ServerDatabase } from '../db/types.js';
import { openConversationFeed } from './conversation-feed.js';
import { type AppEvent, createEventHub } from './event-hub.js';
import { taskFeed } from './task-feed.js';

const caller: Caller = { userId: 'u1', expiresAt: 0, claims: { sub: 'u1', role: 'authenticated' } };

const row = (id: string, version: number, partialText: string | null): AsyncTaskRow => ({
  id,
  owner_id: 'u1',
  conversation_id: 'c1',
  kind: 'chat.reply',
  input: {},
  status: 'processing',
  status_message: 'AI is thinking…',
  partial_text: partialText,
  result: null,
  error: null,
  attempt: 1,
  max_attempts: 3,
  next_attempt_at: new Date(0),
  deadline_at: new Date(0),
  dispatched_at: new Date(0),
  timeout_seconds: 120,
  execution_id: null,
  idempotency_key: null,
  cancel_requested: false,
  replaces_task_id: null,
  version,
  seq: 100 + version,
  created_at: new Date(0),
  updated_at: new Date(version * 1000),
  started_at: new Date(0),
  finished_at: null,
});

/**
 * A database whose task rows the test moves, and whose reads (after the first `free` ones) answer
 * only on `release()`, with the rows as they were when read: a slow read is when notifications
 * pile up.
 */
function gatedDatabase(free: number) {
  const rows = new Map<string, AsyncTaskRow>();
  let reads = 0;
  const gates: Array<() => void> = [];
  const db = {
    asUser: vi.fn(async (_claims: unknown, fn: (tx: unknown) => Promise<unknown>) => {
      reads += 1;
      const answer = await read(fn);
      if (reads > free) await new Promise<void>((resolve) => gates.push(resolve));
      return answer;
    }),
  };
  const read = (fn: (tx: unknown) => Promise<unknown>) =>
    fn({
      query: async (sql: string, params: unknown[]) => {
        if (sql.includes('from public.chat_messages')) return { rows: [] };
        if (sql.includes('from public.conversations')) return { rows: [{ id: params[0] }] };
        if (sql.includes('where id = $1')) return { rows: rows.has(params[0] as string) ? [rows.get(params[0] as string)] : [] };
        return { rows: [...rows.values()] };
      },
    });
  return {
    db: db as unknown as ServerDatabase,
    set: (r: AsyncTaskRow) => rows.set(r.id, r),
    reads: () => reads,
    waiting: () => gates.length,
    release: () => {
      for (const go of gates.splice(0)) go();
    },
  };
}

/** Lets the one waiting read answer, then waits until the stream has sent `sends` events in all. */
async function answer(g: ReturnType<typeof gatedDatabase>, send: ReturnType<typeof vi.fn>, sends: number) {
  await vi.waitFor(() => expect(g.waiting()).toBe(1));
  g.release();
  await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(sends));
}

const notice = (id: string, version: number): AppEvent => ({
  table: 'async_tasks',
  id,
  owner_id: 'u1',
  conversation_id: 'c1',
  version,
  seq: 100 + version,
});

describe('a burst of notifications for one task costs one re-read per stream', () => {
  it('task stream: one read in progress, at most one queued; the last state goes out, as output deltas', async () => {
    const hub = createEventHub();
    const g = gatedDatabase(1);
    g.set(row('t1', 1, null));
    const send = vi.fn();
    await taskFeed({ db: g.db, hub, caller, taskId: 't1', onError: vi.fn() })(send, vi.fn());
    expect(send).toHaveBeenLastCalledWith('snapshot', expect.objectContaining({ partialText: null }), 101);

    g.set(row('t1', 2, 'Hel'));
    hub.emit(notice('t1', 2));
    await vi.waitFor(() => expect(g.reads()).toBe(2));
    // 50 writes land while that read is slow.
    for (let v = 3; v <= 52; v++) {
      g.set(row('t1', v, `Hel${'lo'.repeat(v - 2)}`));
      hub.emit(notice('t1', v));
    }
    expect(g.reads()).toBe(2);
    await answer(g, send, 2);
    await answer(g, send, 3);
    // Snapshot, the read that was slow, and one more for everything after it.
    expect(g.reads()).toBe(3);
    expect(send.mock.calls.map(([event]) => event)).toEqual(['snapshot', 'output', 'output']);
    expect(send.mock.calls[1]).toEqual(['output', expect.objectContaining({ from: 0, text: 'Hel', version: 2 }), 102]);
    expect(send.mock.calls[2]).toEqual(['output', expect.objectContaining({ from: 3, text: 'lo'.repeat(50), version: 52 }), 152]);
  });

  it('task stream: a notification after the queued read began is read again (nothing missed)', async () => {
    const hub = createEventHub();
    const g = gatedDatabase(1);
    g.set(row('t1', 1, 'a'));
    const send = vi.fn();
    await taskFeed({ db: g.db, hub, caller, taskId: 't1', onError: vi.fn() })(send, vi.fn());
    g.set(row('t1', 2, 'ab'));
    hub.emit(notice('t1', 2));
    await vi.waitFor(() => expect(g.waiting()).toBe(1));
    // Notified while its read is under way (it read version 2): one more read follows.
    g.set({ ...row('t1', 3, 'ab'), status: 'completed', partial_text: null, result: { content: 'ab' } });
    hub.emit(notice('t1', 3));
    await answer(g, send, 2);
    await answer(g, send, 3);
    expect(g.reads()).toBe(3);
    expect(send.mock.calls[1]).toEqual(['output', expect.objectContaining({ from: 1, text: 'b' }), 102]);
    // A change of something else than the text: a whole task event.
    expect(send.mock.calls[2]).toEqual(['task', expect.objectContaining({ status: 'completed', partialText: null }), 103]);
  });

  it('conversation stream: at most one read queued per task, each task in the order first notified', async () => {
    const hub = createEventHub();
    const g = gatedDatabase(1);
    g.set(row('a', 1, null));
    g.set(row('b', 1, null));
    const send = vi.fn();
    const feed = await openConversationFeed({ db: g.db, hub, caller, conversationId: 'c1', lastEventId: null, onError: vi.fn() });
    await feed!.start(send, vi.fn());
    expect(send).toHaveBeenCalledWith('snapshot', expect.objectContaining({ tasks: expect.any(Array) }), expect.any(Number));

    g.set(row('a', 2, 'A'));
    hub.emit(notice('a', 2));
    await vi.waitFor(() => expect(g.reads()).toBe(2));
    for (let v = 3; v <= 20; v++) {
      g.set(row('b', v, 'B'.repeat(v)));
      hub.emit(notice('b', v));
      g.set(row('a', v, 'A'.repeat(v)));
      hub.emit(notice('a', v));
    }
    // One read of a in progress; one of b and one more of a waiting.
    for (let sends = 2; sends <= 4; sends++) await answer(g, send, sends);
    expect(g.reads()).toBe(4);
    expect(send.mock.calls.slice(1).map(([event, data]) => [event, data.taskId, data.version])).toEqual([
      ['output', 'a', 2],
      ['output', 'b', 20],
      ['output', 'a', 20],
    ]);
  });
});
