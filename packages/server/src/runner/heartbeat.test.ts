import { describe, expect, it, vi } from 'vitest';
import type { Queryable, ServerDatabase } from '../db/types.js';
import { createHeartbeat } from './heartbeat.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A database whose worker calls fail while `down` is true, recording the SQL of each call. */
function flakyDatabase() {
  const state = { down: true, calls: [] as Array<{ sql: string; ok: boolean }> };
  const tx: Queryable = {
    async query(sql: string) {
      state.calls.push({ sql, ok: !state.down });
      if (state.down) throw refused();
      return { rows: [] };
    },
  };
  const db = { asWorker: (fn: (t: Queryable) => Promise<unknown>) => fn(tx) } as unknown as ServerDatabase;
  return { db, state };
}

function logger() {
  return { warn: vi.fn(), error: vi.fn(), info: vi.fn() } as any;
}

describe('the runner heartbeat', () => {
  it('logs a beat the unreachable database refused and beats again on the next tick', async () => {
    const { db, state } = flakyDatabase();
    const log = logger();
    const heartbeat = createHeartbeat({ db, logger: log, instanceId: '11111111-1111-4111-8111-111111111111', intervalMs: 20 });
    heartbeat.start();
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalled(), { timeout: 10_000 });
    expect(log.error).not.toHaveBeenCalled();
    state.down = false;
    await vi.waitFor(() => expect(state.calls.some((c) => c.ok && c.sql.includes('runner_heartbeat'))).toBe(true), { timeout: 10_000 });
    await heartbeat.stop();
    expect(state.calls.at(-1)).toEqual({ sql: 'select public.runner_stopped($1::uuid)', ok: true });
  });

  it('a failed deregistration on stop is logged, not thrown', async () => {
    const { db } = flakyDatabase();
    const log = logger();
    const heartbeat = createHeartbeat({ db, logger: log, instanceId: '11111111-1111-4111-8111-111111111111', intervalMs: 60_000 });
    // Not started: the only call is the deregistration, so the warning can only come from it.
    await expect(heartbeat.stop()).resolves.toBeUndefined();
    expect(log.warn).toHaveBeenCalledWith(expect.anything(), 'could not deregister the runner instance');
  });
});
