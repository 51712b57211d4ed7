import { createTestDatabase } from '@app/db';
import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../src/db/types.js';
import { createLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { readSse } from './support/sse-reader.js';
import { key, memoryDatabase, testApp, testConfig } from './support/test-app.js';

// Every limit is counted in the database: two instances on one database allow together what one
// allows, whichever instance each request reaches. Each test speaks from addresses of its own
// (TRUST_PROXY: the last X-Forwarded-For hop), so the tests do not share counters.
const LIMITS = {
  TRUST_PROXY: 'true',
  RUNNER_CONCURRENCY: '0',
  RATE_LIMIT_SEND_PER_VISITOR: '3',
  RATE_LIMIT_SEND_PER_IP: '4',
  RATE_LIMIT_TASK_PER_VISITOR: '2',
  RATE_LIMIT_TASK_PER_IP: '3',
  RATE_LIMIT_RETRY_PER_VISITOR: '2',
  RATE_LIMIT_SESSION_PER_IP: '2',
  RATE_LIMIT_REFRESH_PER_IP: '2',
  RATE_LIMIT_STREAM_PER_VISITOR: '3',
  MAX_STREAMS_PER_VISITOR: '2',
  MAX_STREAMS_PER_IP: '3',
};

interface Instances {
  /** A request to instance 0 or 1, from `ip`. */
  call(instance: 0 | 1, path: string, init: { ip: string; method?: string; token?: string; json?: unknown }): Promise<Response>;
  db: ServerDatabase;
  close(): Promise<void>;
}

/** Two server processes' worth of everything (HTTP, pool, LISTEN) on one PostgreSQL database. */
async function twoServersOnPostgres(): Promise<Instances> {
  const database = await createTestDatabase();
  const config = testConfig({ ...LIMITS, DATABASE_URL: database.url, PORT: '0' });
  const servers: RunningServer[] = [];
  for (let i = 0; i < 2; i++) servers.push(await startServer(config, { logger: createLogger('silent') }));
  return {
    db: servers[0]!.db,
    call: (instance, path, { ip, method = 'GET', token, json }) =>
      fetch(`${servers[instance]!.url}${path}`, {
        method,
        headers: {
          'x-forwarded-for': ip,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      }),
    close: async () => {
      for (const server of servers) await server.stop();
      await database.drop();
    },
  };
}

/** Two apps on one PGlite (one process can open a PGlite once: the apps share it). */
async function twoAppsOnPglite(): Promise<Instances> {
  const db = await memoryDatabase();
  const apps = [await testApp(db, LIMITS), await testApp(db, LIMITS)];
  return {
    db,
    call: (instance, path, { ip, method = 'GET', token, json }) =>
      apps[instance]!.request(path, { method, token, json, headers: { 'x-forwarded-for': ip } }),
    close: async () => {
      for (const app of apps) await app.hub.stop();
      await db.close();
    },
  };
}

const setups = [
  { name: 'two servers on one PostgreSQL', start: twoServersOnPostgres, enabled: checkRequirement(requirements.postgres) },
  { name: 'two apps on one PGlite', start: twoAppsOnPglite, enabled: true },
];

describe.each(setups.filter((s) => s.enabled))('limits shared by $name', ({ start }) => {
  let x: Instances;
  let visitors = 0;
  beforeAll(async () => {
    x = await start();
  });
  afterAll(() => x?.close());

  /** A new visitor, made from an address of its own (so making it counts against no test's limits). */
  async function visitor() {
    const res = await x.call(0, '/api/session', { method: 'POST', ip: `198.18.${Math.floor(++visitors / 250)}.${visitors % 250}` });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { accessToken: string; refreshToken: string; userId: string };
    return { token: body.accessToken, refreshToken: body.refreshToken, userId: body.userId };
  }

  /** The statuses of `calls`, made one after the other, alternating between the instances. */
  async function alternate(calls: Array<(instance: 0 | 1) => Promise<Response>>) {
    const statuses: number[] = [];
    const last: Response[] = [];
    for (const [i, call] of calls.entries()) {
      const res = await call((i % 2) as 0 | 1);
      statuses.push(res.status);
      last.push(res);
    }
    return { statuses, refused: last.at(-1)! };
  }

  async function expectRateLimited(res: Response) {
    expect(res.status).toBe(429);
    const wait = Number(res.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: `too many requests; try again in ${wait} s` } });
  }

  const send = (token: string, ip: string) => (i: 0 | 1) =>
    x.call(i, '/api/chat/send', { method: 'POST', ip, token, json: { content: 'hi', idempotencyKey: key() } });

  it('chat sends per visitor', async () => {
    const v = await visitor();
    const { statuses, refused } = await alternate([0, 1, 2, 3].map(() => send(v.token, '203.0.113.1')));
    expect(statuses).toEqual([201, 201, 201, 429]);
    await expectRateLimited(refused);
  });

  it('chat sends per IP, across visitors', async () => {
    const vs = [await visitor(), await visitor(), await visitor(), await visitor(), await visitor()];
    const { statuses } = await alternate(vs.map((v) => send(v.token, '203.0.113.2')));
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });

  const createTask =
    (token: string, ip: string, extra: Record<string, unknown> = {}) =>
    (i: 0 | 1) =>
      x.call(i, '/api/tasks', { method: 'POST', ip, token, json: { kind: 'report.build', input: {}, idempotencyKey: key(), ...extra } });

  it('task creation per visitor and per IP', async () => {
    const v = await visitor();
    expect((await alternate([0, 1, 2].map(() => createTask(v.token, '203.0.113.3')))).statuses).toEqual([201, 201, 429]);
    const vs = [await visitor(), await visitor(), await visitor(), await visitor()];
    expect((await alternate(vs.map((w) => createTask(w.token, '203.0.113.4')))).statuses).toEqual([201, 201, 201, 429]);
  });

  it('retries per visitor: a failed reply cannot be retried into an LLM call a second', async () => {
    const v = await visitor();
    const task = await (await createTask(v.token, '203.0.113.5', { kind: 'retry.test', maxAttempts: 1 })(0)).json();
    const fail = () =>
      x.db.asWorker(async (tx) => {
        const { rows } = await tx.query<{ attempt: number }>("select attempt from public.task_claim(10, array['retry.test'])");
        await tx.query("select public.task_fail($1, $2, 'boom', 'it broke', false)", [task.id, rows[0]!.attempt]);
      });
    await fail();
    const retry = (i: 0 | 1) => x.call(i, `/api/tasks/${task.id}/retry`, { method: 'POST', ip: '203.0.113.5', token: v.token });
    const first = await retry(0);
    expect(await first.json()).toMatchObject({ status: 'pending', maxAttempts: 2 });
    await fail();
    expect((await retry(1)).status).toBe(200);
    await fail();
    await expectRateLimited(await retry(0));
    const read = await x.call(1, `/api/tasks/${task.id}`, { ip: '203.0.113.5', token: v.token });
    expect(await read.json()).toMatchObject({ status: 'failed', maxAttempts: 3 });
  });

  it('new sessions and refreshes per IP', async () => {
    const session = (i: 0 | 1) => x.call(i, '/api/session', { method: 'POST', ip: '203.0.113.6' });
    expect((await alternate([session, session, session])).statuses).toEqual([201, 201, 429]);
    const tokens = [(await visitor()).refreshToken, (await visitor()).refreshToken, (await visitor()).refreshToken];
    const refreshes = tokens.map(
      (refreshToken) => (i: 0 | 1) => x.call(i, '/api/session/refresh', { method: 'POST', ip: '203.0.113.7', json: { refreshToken } }),
    );
    const { statuses, refused } = await alternate(refreshes);
    expect(statuses).toEqual([200, 200, 429]);
    await expectRateLimited(refused);
  });

  /** A conversation of `v`'s (sent from an address of its own), and its stream path. */
  let conversations = 0;
  async function streamPath(v: { token: string }) {
    const sent = await send(v.token, `198.19.0.${++conversations}`)(0);
    expect(sent.status).toBe(201);
    return `/api/conversations/${((await sent.json()) as { conversationId: string }).conversationId}/stream`;
  }
  const openStream = async (i: 0 | 1, path: string, token: string, ip: string) => {
    const res = await x.call(i, path, { ip, token });
    return { res, sse: res.status === 200 ? readSse(res) : null };
  };
  const slotsOf = async (column: 'ip' | 'visitor', value: string) =>
    (await x.db.query<{ n: number }>(`select count(*)::int as n from app_internal.stream_slots where ${column} = $1`, [value])).rows[0]!.n;

  it('open streams per IP, over both instances; a closed stream frees its slot for the other instance', async () => {
    const ip = '203.0.113.8';
    const vs = [await visitor(), await visitor(), await visitor(), await visitor()];
    const paths = await Promise.all(vs.map(streamPath));
    const open = [];
    for (const [i, v] of vs.slice(0, 3).entries()) {
      const stream = await openStream((i % 2) as 0 | 1, paths[i]!, v.token, ip);
      expect(stream.res.status).toBe(200);
      await stream.sse!.next(); // the snapshot: the stream is open
      open.push(stream.sse!);
    }
    const refused = await x.call(1, paths[3]!, { ip, token: vs[3]!.token });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({
      error: { code: 'too_many_streams', message: 'at most 3 open streams from one address; close one first' },
    });
    await open[0]!.close();
    await expect.poll(() => slotsOf('ip', ip)).toBe(2);
    const reopened = await openStream(1, paths[3]!, vs[3]!.token, ip);
    expect(reopened.res.status).toBe(200);
    for (const sse of [...open.slice(1), reopened.sse!]) await sse.close();
    await expect.poll(() => slotsOf('ip', ip)).toBe(0);
  });

  it('open streams per visitor, over both instances', async () => {
    const v = await visitor();
    const path = await streamPath(v);
    const a = await openStream(0, path, v.token, '203.0.113.9');
    const b = await openStream(1, path, v.token, '203.0.113.10');
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    const third = await x.call(0, path, { ip: '203.0.113.11', token: v.token });
    expect(third.status).toBe(429);
    expect((await third.json()).error).toEqual({
      code: 'too_many_streams',
      message: 'at most 2 open streams per visitor; close one first',
    });
    await a.sse!.close();
    await b.sse!.close();
  });

  it('stream opens per visitor per minute, over both instances', async () => {
    const v = await visitor();
    const path = await streamPath(v);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const { res, sse } = await openStream((i % 2) as 0 | 1, path, v.token, '203.0.113.12');
      statuses.push(res.status);
      if (sse) {
        await sse.close();
        // The slot is freed once the server has seen the stream close: wait, so the cap is not what refuses.
        await expect.poll(() => slotsOf('visitor', v.userId)).toBe(0);
      } else await expectRateLimited(res);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
