import type { Database } from '@app/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDatabase } from '../../../test/support/test-app.js';
import type { ServerDatabase } from '../../db/types.js';
import { createDatabaseRateLimiter } from './database-limiter.js';
import { createStreamSlots } from './stream-slots.js';

let db: Database;
beforeAll(async () => {
  db = await memoryDatabase();
});
afterAll(() => db.close());

/** The database, with every transaction it is asked for counted. */
function countingTransactions(inner: Database) {
  const counted = { transactions: 0 };
  const wrap =
    <F extends (...args: never[]) => Promise<unknown>>(fn: F) =>
    (...args: Parameters<F>) => {
      counted.transactions += 1;
      return fn(...args);
    };
  const database: ServerDatabase = {
    query: (sql, params) => inner.query(sql, params),
    asUser: wrap(inner.asUser.bind(inner)),
    asService: wrap(inner.asService.bind(inner)),
    asWorker: wrap(inner.asWorker.bind(inner)),
    listen: inner.listen.bind(inner),
    close: () => Promise.resolve(),
  } as ServerDatabase;
  return { database, counted };
}

describe('the counters every instance shares', () => {
  it('refuse a key over its limit with the seconds to wait, and count every instance’s hits', async () => {
    const a = createDatabaseRateLimiter(db);
    const b = createDatabaseRateLimiter(db);
    const key = `send-ip:${Math.random()}`;
    expect(await a.hit([{ key, limit: 2 }])).toBeNull();
    expect(await b.hit([{ key, limit: 2 }])).toBeNull();
    const wait = await a.hit([{ key, limit: 2 }]);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it('take each hit and each stream slot in one statement: no transaction holds a key’s lock across a round trip', async () => {
    const { database, counted } = countingTransactions(db);
    const limiter = createDatabaseRateLimiter(database);
    expect(await limiter.hit([{ key: `stream-ip:${Math.random()}`, limit: 10 }])).toBeNull();
    const slots = createStreamSlots({ db: database, maxPerVisitor: 1, maxPerIp: 5 });
    const visitor = `v-${Math.random()}`;
    const release = await slots.take(visitor, '203.0.113.7');
    await expect(slots.take(visitor, '203.0.113.7')).rejects.toMatchObject({ status: 429, code: 'too_many_streams' });
    release();
    // The release is not awaited by the stream that closes: the slot frees soon after.
    const takeAgain = async () => {
      try {
        (await slots.take(visitor, '203.0.113.7'))();
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(takeAgain, { timeout: 5000 }).toBe(true);
    expect(counted.transactions).toBe(0);
  });
});
