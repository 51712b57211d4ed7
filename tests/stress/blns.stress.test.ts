import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { api, type Api } from './support/api.js';
import { loadBlns } from './support/blns.js';
import { connect } from './support/db-checks.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const hasPostgres = checkRequirement(requirements.postgres);
const blns = loadBlns();
const PER_CONVERSATION = 40;

// Every naughty string sent as a chat message, stored, answered by the runner (the fake LLM
// echoes it back) and read back through the API: byte for byte what was typed.
describe.runIf(hasPostgres)('the Big List of Naughty Strings through send → database → runner → API', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client;
  let http: Api;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    server = await startServerProcess({ databaseUrl: database.url, llmUrl: llm.url, env: { RUNNER_CONCURRENCY: '8' } });
    sql = await connect(database.url);
    http = api(server.baseUrl);
  });

  afterAll(async () => {
    await sql?.end();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  it('stores every string exactly as typed, replies with it exactly, and refuses only blank ones', async () => {
    const strings = blns;
    const { token } = await http.visitor();
    const accepted: Array<{ text: string; conversationId: string; messageId: string; taskId: string }> = [];
    const refused: Array<{ text: string; status: number; code: string }> = [];
    let conversationId: string | null = null;
    for (const [i, text] of strings.entries()) {
      if (i % PER_CONVERSATION === 0) conversationId = null;
      const res = await http.call('POST', '/api/chat/send', {
        token,
        json: { ...(conversationId ? { conversationId } : {}), content: text, idempotencyKey: `blns-${i}` },
      });
      if (res.status === 201) {
        conversationId = res.json.conversationId;
        accepted.push({ text, conversationId: res.json.conversationId, messageId: res.json.message.id, taskId: res.json.task.id });
      } else {
        refused.push({ text, status: res.status, code: res.json?.error?.code });
      }
    }
    // Only blank strings are refused, with a 400 naming the field.
    expect(refused.filter((r) => r.text.trim() !== '')).toEqual([]);
    expect(refused.every((r) => r.status === 400 && r.code === 'invalid_input')).toBe(true);

    // Wait for the runner to answer them all.
    const deadline = Date.now() + 180_000;
    let open = Infinity;
    while (open > 0 && Date.now() < deadline) {
      open = Number(
        (await sql.query(`select count(*) as n from async_tasks where status not in ('completed','failed','cancelled')`)).rows[0].n,
      );
      if (open > 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(open).toBe(0);

    // Read back through the API, page by page.
    const byConversation = new Map<string, Array<{ id: string; role: string; content: string; asyncTaskId: string }>>();
    for (const id of new Set(accepted.map((a) => a.conversationId))) {
      const page = await http.call('GET', `/api/conversations/${id}?limit=100`, { token });
      expect(page.status).toBe(200);
      byConversation.set(id, page.json.messages);
    }
    const mismatches: string[] = [];
    for (const sent of accepted) {
      const messages = byConversation.get(sent.conversationId)!;
      const stored = messages.find((m) => m.id === sent.messageId);
      const reply = messages.filter((m) => m.role === 'assistant' && m.asyncTaskId === sent.taskId);
      if (stored?.content !== sent.text) mismatches.push(`stored ${JSON.stringify(sent.text)} as ${JSON.stringify(stored?.content)}`);
      if (reply.length !== 1 || reply[0]!.content !== `Echo: ${sent.text}`)
        mismatches.push(`reply to ${JSON.stringify(sent.text)}: ${JSON.stringify(reply.map((r) => r.content))}`);
    }
    // And in the database itself (not only as the API renders it).
    const { rows } = await sql.query<{ id: string; content: string }>(`select id, content from chat_messages where role = 'user'`);
    const inDb = new Map(rows.map((r) => [r.id, r.content]));
    for (const sent of accepted)
      if (inDb.get(sent.messageId) !== sent.text)
        mismatches.push(`database has ${JSON.stringify(inDb.get(sent.messageId))} for ${JSON.stringify(sent.text)}`);

    report('blns', { strings: strings.length, accepted: accepted.length, refusedBlank: refused.length, mismatches: mismatches.length });
    expect(mismatches).toEqual([]);
    expect(accepted.length + refused.length).toBe(strings.length);
  });
});
