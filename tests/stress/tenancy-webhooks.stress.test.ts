import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { signWebhook } from '@app/server';
import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { api, type Api } from './support/api.js';
import { connect, rowCounts } from './support/db-checks.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const hasPostgres = checkRequirement(requirements.postgres);
const SECRET = 'stress-webhook-secret-stress-webhook-secret';
const UNKNOWN = '9b2f1c3e-0000-4000-8000-000000000000';

/** Reads an SSE response's raw text until `stop()` (what an intruder's browser would receive). */
function captureStream(res: Response) {
  let text = '';
  const reader = res.body!.getReader();
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) return;
        text += new TextDecoder().decode(value);
      }
    } catch {
      // cancelled
    }
  })();
  return {
    text: () => text,
    stop: async () => {
      await reader.cancel().catch(() => {});
      return await done;
    },
  };
}

describe.runIf(hasPostgres)('cross-tenant access and webhook callbacks over real HTTP and PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client;
  let http: Api;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    llm.setFallback({ delayMs: 300 });
    server = await startServerProcess({ databaseUrl: database.url, llmUrl: llm.url, env: { WEBHOOK_SECRET: SECRET } });
    sql = await connect(database.url);
    http = api(server.baseUrl);
  });

  afterAll(async () => {
    await sql?.end();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  it("B's own open streams carry nothing of A's conversation while A chats, and every A id answers B a 404 like an unknown id", async () => {
    const a = await http.visitor();
    const b = await http.visitor();
    const bSent = await http.call('POST', '/api/chat/send', { token: b.token, json: { content: 'B here', idempotencyKey: 'b-1' } });
    const bTask = await http.call('POST', '/api/tasks', {
      token: b.token,
      json: { kind: 'stress.idle', input: {}, idempotencyKey: 'b-task' },
    });
    const headers = { authorization: `Bearer ${b.token}` };
    const bConversationStream = captureStream(
      await fetch(`${server.baseUrl}/api/conversations/${bSent.json.conversationId}/stream`, { headers }),
    );
    const bTaskStream = captureStream(await fetch(`${server.baseUrl}/api/tasks/${bTask.json.id}/stream`, { headers }));

    const secret = `A-secret-${Math.random().toString(36).slice(2)}`;
    const aIds: string[] = [];
    let aConversation: string | null = null;
    for (let i = 0; i < 3; i += 1) {
      const sent = await http.call('POST', '/api/chat/send', {
        token: a.token,
        json: { ...(aConversation ? { conversationId: aConversation } : {}), content: `${secret} ${i}`, idempotencyKey: `a-${i}` },
      });
      aConversation = sent.json.conversationId;
      aIds.push(sent.json.message.id, sent.json.task.id);
    }
    const aTask = await http.call('POST', '/api/tasks', {
      token: a.token,
      json: { kind: 'stress.private', input: { secret }, idempotencyKey: 'a-task' },
    });
    aIds.push(aConversation!, aTask.json.id);
    // Wait for A's replies (each a row change fanned out by the server).
    for (let i = 0; i < 300; i += 1) {
      const n = Number(
        (await sql.query(`select count(*) as n from chat_messages where role = 'assistant' and conversation_id = $1`, [aConversation]))
          .rows[0].n,
      );
      if (n === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    await bConversationStream.stop();
    await bTaskStream.stop();
    const seenByB = bConversationStream.text() + bTaskStream.text();
    expect(seenByB).toContain('event: snapshot');
    expect(seenByB).not.toContain(secret);
    for (const id of aIds) expect(seenByB).not.toContain(id);

    // Every endpoint and stream with A's ids: the same 404 as an unknown id, and nothing changes.
    const before = await rowCounts(sql);
    const calls = (task: string, conversation: string): Array<[string, string, unknown?]> => [
      ['GET', `/api/tasks/${task}`],
      ['GET', `/api/tasks/${task}/stream`],
      ['POST', `/api/tasks/${task}/cancel`, {}],
      ['POST', `/api/tasks/${task}/retry`, {}],
      ['GET', `/api/conversations/${conversation}`],
      ['GET', `/api/conversations/${conversation}?limit=100&before=999999`],
      ['GET', `/api/conversations/${conversation}/stream`],
      ['POST', '/api/chat/send', { conversationId: conversation, content: 'intrude', idempotencyKey: `b-intrude-${conversation}` }],
    ];
    const foreign = calls(aTask.json.id, aConversation!);
    const unknown = calls(UNKNOWN, UNKNOWN);
    for (const [i, [method, path, json]] of foreign.entries()) {
      const theirs = await http.call(method, path, { token: b.token, ...(json ? { json } : {}) });
      const [, unknownPath, unknownJson] = unknown[i]!;
      const nobody = await http.call(method, unknownPath, { token: b.token, ...(unknownJson ? { json: unknownJson } : {}) });
      expect(theirs.status, `${method} ${path}`).toBe(404);
      expect(theirs.json, `${method} ${path}`).toEqual(nobody.json);
      expect(theirs.text).not.toContain(secret);
    }
    expect(await rowCounts(sql)).toEqual(before);
  });

  it('rejects forged, tampered, stale, future-dated, replayed and other-task callbacks with 401 and changes nothing', async () => {
    const owner = await http.visitor();
    const created = await http.call('POST', '/api/tasks', {
      token: owner.token,
      json: { kind: 'stress.hooked', input: {}, idempotencyKey: 'hooked' },
    });
    const id = created.json.id as string;
    // A worker claims it (the built-in runner only takes chat.reply).
    await sql.query(`select * from public.task_claim(1, array['stress.hooked'])`);
    const post = (raw: string, headers: Record<string, string>) =>
      http.call('POST', `/api/hooks/tasks/${id}`, { body: raw, headers: { 'content-type': 'application/json', ...headers } });
    const task = async () =>
      (await sql.query('select status, status_message, version, result from async_tasks where id = $1', [id])).rows[0];

    // A worker's callback id binds it to the task and attempt: <taskId>.<attempt>.<unique>.
    const bound = (taskId: string, attempt: number) => `${taskId}.${attempt}.${Math.random().toString(36).slice(2)}`;
    const startBody = JSON.stringify({ type: 'start', attempt: 1, statusMessage: 'genuine' });
    const genuine = signWebhook(SECRET, startBody, { id: bound(id, 1) });
    const accepted = await post(startBody, genuine);
    expect(accepted).toMatchObject({ status: 200, json: { ok: true, applied: true } });

    // Another task, claimed too: a callback genuinely signed for it must not apply here.
    const other = await http.call('POST', '/api/tasks', {
      token: owner.token,
      json: { kind: 'stress.hooked', input: {}, idempotencyKey: 'hooked-other' },
    });
    await sql.query(`select * from public.task_claim(1, array['stress.hooked'])`);
    const otherTask = async () =>
      (await sql.query('select status, status_message, version, result from async_tasks where id = $1', [other.json.id])).rows[0];

    const before = { rows: await rowCounts(sql), task: await task(), other: await otherTask() };
    const complete = JSON.stringify({ type: 'complete', attempt: 1, result: { content: 'forged' } });
    const now = Date.now();
    const sign = (raw: string, options: { now?: number; id?: string } = {}) => signWebhook(SECRET, raw, { id: bound(id, 1), ...options });
    const attempts: Array<[string, string, Record<string, string>, string]> = [
      [
        'forged (another secret)',
        complete,
        signWebhook('not-the-secret-not-the-secret-not-the', complete, { id: bound(id, 1) }),
        'invalid_signature',
      ],
      ['tampered (body changed after signing)', complete.replace('forged', 'tampered'), sign(complete), 'invalid_signature'],
      ['stale (10 minutes old)', complete, sign(complete, { now: now - 10 * 60_000 }), 'invalid_signature'],
      ['clock-skewed (10 minutes ahead)', complete, sign(complete, { now: now + 10 * 60_000 }), 'invalid_signature'],
      ['unsigned', complete, {}, 'invalid_signature'],
      ['signed for another task', complete, sign(complete, { id: bound(other.json.id, 1) }), 'invalid_signature'],
      ['signed for another attempt', complete, sign(complete, { id: bound(id, 2) }), 'invalid_signature'],
      ['signed with an id that names no task', complete, sign(complete, { id: `msg_${other.json.id}` }), 'invalid_signature'],
      ['replayed (an accepted webhook-id again)', startBody, genuine, 'replayed'],
      ['replayed id with a new body', complete, { ...signWebhook(SECRET, complete, { id: genuine['webhook-id'] }) }, 'replayed'],
    ];
    for (const [what, raw, headers, code] of attempts) {
      const res = await post(raw, headers);
      expect(res.status, what).toBe(401);
      expect(res.json.error.code, what).toBe(code);
    }
    expect({ rows: await rowCounts(sql), task: await task(), other: await otherTask() }).toEqual(before);

    // A correctly signed callback for another attempt is accepted but ignored.
    const stale = JSON.stringify({ type: 'complete', attempt: 7, result: { content: 'old attempt' } });
    expect(await post(stale, signWebhook(SECRET, stale, { id: bound(id, 7) }))).toMatchObject({
      status: 200,
      json: { ok: true, applied: false },
    });
    expect(await task()).toEqual(before.task);
  });
});
