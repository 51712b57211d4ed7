import { createHmac, randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { createTestDatabase } from '@app/db';
import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import WebSocket from 'ws';
import { createChatSession, type ChatSession } from '../src/chat/chat-session.js';
import { createSupabaseTransport } from '../src/transports/supabase/supabase-transport.js';
import { createTaskClient } from '../src/task/task-client.js';
import { startFakeRealtime } from './fake-realtime-server.js';
import { startReferenceServer } from './reference-server.js';

const SUPABASE_JWT_SECRET = 'supabase-test-jwt-secret-supabase-test-jwt-secret';
const LONG = { timeout: 20_000, interval: 50 };

/** A Supabase Auth style access token (HS256, `aud`/`role` authenticated), as the server accepts. */
function supabaseToken(sub: string, ttlSeconds = 3600): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, aud: 'authenticated', role: 'authenticated', iat: now, exp: now + ttlSeconds, jti: randomUUID() })}`;
  return `${body}.${createHmac('sha256', SUPABASE_JWT_SECRET).update(body).digest('base64url')}`;
}

const enabled = checkRequirement(requirements.postgres);

describe.skipIf(!enabled)('supabase transport: real supabase-js against a Realtime-protocol server fed by PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  let realtime: Awaited<ReturnType<typeof startFakeRealtime>>;
  const cleanups: Array<() => unknown> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startReferenceServer({ env: { DATABASE_URL: db.url, SUPABASE_JWT_SECRET } });
    realtime = await startFakeRealtime(db.url);
  }, 120_000);
  afterAll(async () => {
    await realtime?.close();
    await server?.close();
    await db?.drop();
  }, 60_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  const open = () => {
    const user = { token: supabaseToken(randomUUID()) };
    const supabase: SupabaseClient = createClient(realtime.url, 'anon-key', {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never, reconnectAfterMs: () => 100, heartbeatIntervalMs: 1000 } as never,
    });
    const transport = createSupabaseTransport({
      supabase,
      baseUrl: server.baseUrl,
      getToken: () => user.token,
      backoff: { baseMs: 50, capMs: 500 },
      storage: null,
      isOnline: () => true,
      connectivity: null,
      visibility: null,
    });
    const client = createTaskClient({ transport });
    const chat = createChatSession({ client, storage: null, BroadcastChannel: null });
    const statuses = new Set<string>();
    const stops = [chat.$messages.listen(() => {}), chat.$activeTask.listen((t) => t?.statusMessage && statuses.add(t.statusMessage))];
    cleanups.push(async () => {
      for (const stop of stops) stop();
      chat.destroy();
      await supabase.removeAllChannels();
    });
    return { chat, client, supabase, user, statuses };
  };
  // A reply counts once it is final: while it streams it shows as an assistant item with its status.
  const roles = (chat: ChatSession) => chat.$messages.get().map((m) => (m.status === 'final' ? m.role : `${m.role} (${m.status})`));

  it('shows the live status and the reply from postgres_changes, joining with the user token', async () => {
    const { chat, user, statuses } = open();
    await chat.send('Hello Supabase');
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
    expect(chat.$messages.get()[1]?.content).toContain('You said: Hello Supabase');
    expect([...statuses]).toContain('AI is thinking…');
    expect(chat.$connection.get()).toBe('live');
    expect(realtime.joins.some((j) => j.accessToken === user.token)).toBe(true);
  });

  it('follows one task through its store and sees it cancelled', async () => {
    const { client } = open();
    const task = await client.create('supabase.noop', {});
    const store = client.task(task.id);
    cleanups.push(store.listen(() => {}));
    await vi.waitFor(() => expect(store.get()).toMatchObject({ loaded: true, connection: 'live' }), LONG);
    await client.cancel(task.id);
    await vi.waitFor(() => expect(store.get().status).toBe('cancelled'), LONG);
  });

  it('shows a streaming reply growing from the rows Realtime sends (partial_text, camelCased like every column)', async () => {
    const { client } = open();
    // A kind the server's runner leaves alone: this test is the worker, through the database functions.
    const task = await client.create('supabase.stream', {});
    const store = client.task(task.id);
    const texts: Array<string | null> = [];
    cleanups.push(store.listen((state) => state.loaded && texts.at(-1) !== state.partialText && texts.push(state.partialText)));
    await vi.waitFor(() => expect(store.get()).toMatchObject({ loaded: true, connection: 'live' }), LONG);
    const worker = new pg.Client({ connectionString: db.url });
    await worker.connect();
    cleanups.push(() => worker.end());
    const [claimed] = (await worker.query("select id, attempt from public.task_claim(1, array['supabase.stream'])")).rows;
    expect(claimed?.id).toBe(task.id);
    await worker.query('select public.task_start($1, $2)', [task.id, claimed.attempt]);
    for (const [n, piece] of ['Stre', 'ams ', 'grow'].entries()) {
      await worker.query('select public.task_output($1, $2, $3)', [task.id, claimed.attempt, piece]);
      // One row at a time: each one's text must show before the next is written.
      await vi.waitFor(() => expect(store.get().partialText).toBe('Streams grow'.slice(0, 4 * (n + 1))), LONG);
    }
    await worker.query('select public.task_complete($1, $2, $3)', [task.id, claimed.attempt, { content: 'Streams grow.' }]);
    await vi.waitFor(
      () => expect(store.get()).toMatchObject({ status: 'completed', partialText: null, result: { content: 'Streams grow.' } }),
      LONG,
    );
    expect(texts).toEqual([null, 'Stre', 'Streams ', 'Streams grow', null]);
  });

  it('re-reads the snapshot after the socket drops mid-task, so the missed reply still shows', async () => {
    const { chat } = open();
    await chat.send('Drop the socket');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.status).toBe('processing'), LONG);
    realtime.dropSockets();
    await vi.waitFor(() => expect(chat.$connection.get()).not.toBe('live'), LONG);
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'), LONG);
  });

  it('resubscribes when the server closes the channel (CLOSED)', async () => {
    const { chat } = open();
    await chat.send('First');
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
    const joinsBefore = realtime.joins.length;
    realtime.closeChannels();
    await vi.waitFor(() => expect(realtime.joins.length).toBeGreaterThan(joinsBefore), LONG);
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'), LONG);
    await chat.send('Second');
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant', 'user', 'assistant']), LONG);
  });

  it('retries a refused join (CHANNEL_ERROR) with backoff until it is accepted', async () => {
    const { chat } = open();
    await chat.send('Let me in');
    realtime.refuseNextJoins(2);
    realtime.closeChannels();
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('reconnecting'), LONG);
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'), LONG);
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
  });

  it('hands a refreshed token to Realtime with setAuth (access_token event)', async () => {
    const { chat, user } = open();
    await chat.send('Token one');
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
    const sub = JSON.parse(Buffer.from(user.token.split('.')[1]!, 'base64url').toString()).sub as string;
    user.token = supabaseToken(sub); // what a Supabase Auth refresh produces: a new token, same user
    await chat.send('Token two');
    await vi.waitFor(() => expect(realtime.accessTokens).toContain(user.token), LONG);
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant', 'user', 'assistant']), LONG);
  });
});
