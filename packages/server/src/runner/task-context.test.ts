import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { ServerDatabase } from '../db/types.js';
import { createEventHub } from '../events/event-hub.js';
import { createTaskContext } from './task-context.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const task = { id: '00000000-0000-4000-8000-000000000001', attempt: 1, deadline_at: new Date(Date.now() + 60_000) };

/** A database that refuses the first `outage` calls (it is restarting), then answers `rows`. */
function restartingDatabase(outage: number, rows: unknown[]) {
  let calls = 0;
  const answer = async () => {
    calls += 1;
    if (calls <= outage) throw refused();
    return { rows };
  };
  const db = {
    // The cancel check is one statement (`query`); worker calls are transactions.
    query: vi.fn(answer),
    asWorker: vi.fn(async (fn: (tx: unknown) => unknown) => fn({ query: answer })),
  };
  return db as unknown as ServerDatabase & typeof db;
}

describe('a task attempt rides out a database restart', () => {
  it('the cancel check after the LLM call waits for the database instead of failing the attempt (and paying the LLM again)', async () => {
    const db = restartingDatabase(2, [{ id: task.id, cancel_requested: true }]);
    const ctx = createTaskContext({ db, hub: createEventHub(), logger: pino({ level: 'silent' }), task });
    try {
      await ctx.checkCancel();
      expect(ctx.abortCause).toBe('cancelled');
      expect(db.query).toHaveBeenCalledTimes(3);
    } finally {
      ctx.dispose();
    }
  });

  it('a worker call (complete) is saved once the database is back', async () => {
    const db = restartingDatabase(3, [{ ok: true }]);
    const ctx = createTaskContext({ db, hub: createEventHub(), logger: pino({ level: 'silent' }), task });
    try {
      await expect(ctx.complete({ content: 'the reply' })).resolves.toBe(true);
      expect(db.asWorker).toHaveBeenCalledTimes(4);
    } finally {
      ctx.dispose();
    }
  });
});

/** A database whose worker calls answer `ok` and whose cancel check reads `cancel_requested` (after `checkDelay`). */
function answeringDatabase(ok: boolean, cancelRequested: boolean, version = 7) {
  const db = {
    query: vi.fn(async () => ({ rows: [{ id: task.id, cancel_requested: cancelRequested, version }] })),
    asWorker: vi.fn(async (fn: (tx: unknown) => unknown) => fn({ query: async () => ({ rows: [{ ok }] }) })),
  };
  return db as unknown as ServerDatabase & typeof db;
}

describe('a streamed write the database refuses', () => {
  it('with a cancel requested: the signal fires with cause cancelled (the runner acknowledges the Stop)', async () => {
    const ctx = createTaskContext({ db: answeringDatabase(false, true), hub: createEventHub(), logger: pino({ level: 'silent' }), task });
    try {
      await expect(ctx.output('Hello')).resolves.toBe(false);
      expect(ctx.signal.aborted).toBe(true);
      expect(ctx.abortCause).toBe('cancelled');
    } finally {
      ctx.dispose();
    }
  });

  it('without one: the attempt is over (taken over, timed out), cause stale', async () => {
    const ctx = createTaskContext({ db: answeringDatabase(false, false), hub: createEventHub(), logger: pino({ level: 'silent' }), task });
    try {
      await expect(ctx.output('Hello')).resolves.toBe(false);
      expect(ctx.abortCause).toBe('stale');
    } finally {
      ctx.dispose();
    }
  });

  it('an accepted write changes nothing', async () => {
    const ctx = createTaskContext({ db: answeringDatabase(true, false), hub: createEventHub(), logger: pino({ level: 'silent' }), task });
    try {
      await expect(ctx.output('Hello', { replace: true })).resolves.toBe(true);
      expect(ctx.signal.aborted).toBe(false);
    } finally {
      ctx.dispose();
    }
  });
});

describe('the cancel watch', () => {
  it('reads cancel_requested once per burst of notifications, and not for a version it has read', async () => {
    const db = answeringDatabase(true, false, 30);
    const hub = createEventHub();
    const ctx = createTaskContext({ db, hub, logger: pino({ level: 'silent' }), task });
    const notice = (version: number) =>
      hub.emit({ table: 'async_tasks', id: task.id, owner_id: null, conversation_id: null, version, seq: version });
    try {
      // A streamed reply's own writes: 20 notifications at once.
      for (let v = 11; v <= 30; v++) notice(v);
      await vi.waitFor(() => expect(db.query).toHaveBeenCalledTimes(1));
      // That check read version 30: older and equal versions need no read, a newer one does.
      await new Promise((resolve) => setImmediate(resolve));
      notice(29);
      notice(30);
      await new Promise((resolve) => setImmediate(resolve));
      expect(db.query).toHaveBeenCalledTimes(1);
      notice(31);
      await vi.waitFor(() => expect(db.query).toHaveBeenCalledTimes(2));
      // It read 30 again (the row went back, or is gone): that answers 31 all the same, no loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(db.query).toHaveBeenCalledTimes(2);
    } finally {
      ctx.dispose();
    }
  });
});
