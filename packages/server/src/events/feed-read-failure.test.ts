import { describe, expect, it, vi } from 'vitest';
import type { Caller } from '../auth/access-token-verifier.js';
import type { AsyncTaskRow } from '../db/tables.js';
import type { ServerDatabase } from '../db/types.js';
import { openConversationFeed } from './conversation-feed.js';
import { createEventHub } from './event-hub.js';
import { taskFeed } from './task-feed.js';

const caller: Caller = { userId: 'u1', expiresAt: 0, claims: { sub: 'u1', role: 'authenticated' } };
const taskRow: AsyncTaskRow = {
  id: 't1',
  owner_id: 'u1',
  conversation_id: 'c1',
  kind: 'chat.reply',
  input: {},
  status: 'processing',
  status_message: null,
  partial_text: null,
  result: null,
  error: null,
  attempt: 1,
  max_attempts: 3,
  next_attempt_at: new Date(),
  deadline_at: new Date(),
  dispatched_at: new Date(),
  timeout_seconds: 120,
  execution_id: null,
  idempotency_key: null,
  cancel_requested: false,
  replaces_task_id: null,
  version: 2,
  seq: 5,
  created_at: new Date(),
  updated_at: new Date(),
  started_at: new Date(),
  finished_at: null,
};
const lost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: undefined });

/** A database whose reads as the visitor answer `rows` for the first `okReads` calls, then fail as a lost connection does. */
function flakyDatabase(okReads: number, answer: () => unknown): ServerDatabase {
  let reads = 0;
  return {
    asUser: vi.fn(async () => {
      reads += 1;
      if (reads > okReads) throw lost();
      return answer();
    }),
  } as unknown as ServerDatabase;
}

const until = (check: () => boolean) => vi.waitFor(() => expect(check()).toBe(true));

// A stream that silently skipped a change would leave the visitor on "AI is thinking…" forever;
// closing makes the SDK reconnect with Last-Event-ID and get the change in its resume snapshot.
describe('a stream whose read fails closes, so the client resumes instead of missing the change', () => {
  it('task stream: a failed re-read after an event closes it', async () => {
    const hub = createEventHub();
    const onError = vi.fn();
    const close = vi.fn();
    const send = vi.fn();
    await taskFeed({ db: flakyDatabase(1, () => taskRow), hub, caller, taskId: 't1', onError })(send, close);
    expect(send).toHaveBeenCalledWith('snapshot', expect.objectContaining({ id: 't1' }), 5);
    expect(close).not.toHaveBeenCalled();

    hub.emit({ table: 'async_tasks', id: 't1', owner_id: 'u1', conversation_id: 'c1', version: 3, seq: 6 });
    await until(() => close.mock.calls.length > 0);
    expect(onError).toHaveBeenCalledOnce();
  });

  it('task stream: a failed snapshot closes it rather than leaving it open and empty', async () => {
    const close = vi.fn();
    const send = vi.fn();
    await taskFeed({ db: flakyDatabase(0, () => taskRow), hub: createEventHub(), caller, taskId: 't1', onError: vi.fn() })(send, close);
    expect(send).not.toHaveBeenCalled();
    expect(close).toHaveBeenCalled();
  });

  it('conversation stream: a failed snapshot opens nothing (the request fails, the client retries); a failed re-read closes it', async () => {
    const empty = () => ({ messages: [], tasks: [] });
    const unopened = createEventHub();
    await expect(
      openConversationFeed({
        db: flakyDatabase(0, empty),
        hub: unopened,
        caller,
        conversationId: 'c1',
        lastEventId: null,
        onError: vi.fn(),
      }),
    ).rejects.toThrow('Connection terminated');
    expect(unopened.size).toBe(0);

    const hub = createEventHub();
    const close = vi.fn();
    const send = vi.fn();
    const feed = await openConversationFeed({
      db: flakyDatabase(1, empty),
      hub,
      caller,
      conversationId: 'c1',
      lastEventId: null,
      onError: vi.fn(),
    });
    await feed!.start(send, close);
    expect(send).toHaveBeenCalledWith('snapshot', { messages: [], tasks: [] }, 0);
    hub.emit({ table: 'async_tasks', id: 't1', owner_id: 'u1', conversation_id: 'c1', version: 3, seq: 6 });
    await until(() => close.mock.calls.length > 0);
  });
});
