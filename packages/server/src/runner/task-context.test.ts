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
    asService: vi.fn(async (fn: (tx: unknown) => unknown) => fn({ query: answer })),
    asWorker: vi.fn(async (fn: (tx: unknown) => unknown) => fn({ query: answer })),
  };
  return db as unknown as ServerDatabase & typeof db;
}

describe('a task attempt rides out a database restart', () => {
  it('the cancel check after the LLM call waits for the database instead of failing the attempt (and paying the LLM again)', async () => {
    const db = restartingDatabase(2, [{ cancel_requested: true }]);
    const ctx = createTaskContext({ db, hub: createEventHub(), logger: pino({ level: 'silent' }), task });
    try {
      await ctx.checkCancel();
      expect(ctx.abortCause).toBe('cancelled');
      expect(db.asService).toHaveBeenCalledTimes(3);
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
