import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LISTENER_APPLICATION_NAME } from '../src/postgres-listener.js';
import { openMigratedPostgres, type OpenedEngine } from './engines.js';

describe.skipIf(!checkRequirement(requirements.postgres))('listen on PostgreSQL', () => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await openMigratedPostgres(4);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('re-establishes LISTEN after the connection is killed and calls onReconnect', async () => {
    const { db } = opened;
    const received: string[] = [];
    let reconnects = 0;
    const unlisten = await db.listen(
      'probe',
      (payload) => received.push(payload),
      () => reconnects++,
    );
    await db.query(`select pg_notify('probe', 'before')`);
    await vi.waitFor(() => expect(received).toEqual(['before']), { timeout: 10_000 });

    const killed = await db.query<{ n: number }>(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where application_name = $1 and datname = current_database()`,
      [LISTENER_APPLICATION_NAME],
    );
    expect(killed.rows[0]!.n).toBe(1);
    await vi.waitFor(() => expect(reconnects).toBe(1), { timeout: 30_000, interval: 50 });

    await db.query(`select pg_notify('probe', 'after')`);
    await vi.waitFor(() => expect(received).toEqual(['before', 'after']), { timeout: 10_000 });

    await unlisten();
    await db.query(`select pg_notify('probe', 'ignored')`);
    await db.query(`select pg_notify('other', 'x')`);
    const second = await db.listen('probe', (payload) => received.push(`second:${payload}`));
    await db.query(`select pg_notify('probe', 'last')`);
    await vi.waitFor(() => expect(received.at(-1)).toBe('second:last'), { timeout: 10_000 });
    expect(received).not.toContain('ignored');
    await second();
  });
});
