import type { Database } from '@app/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from './support/sse-reader.js';
import { engines, key, testApp, type TestApp } from './support/test-app.js';

// What a visitor sees of seq (message.seq, a task's SSE id, the stream's event ids) counts only
// the writes of their own conversation: another visitor's activity moves none of it. No runner
// runs here, so the only writes are the ones each test makes.
describe.each(engines)('seq tells a visitor nothing about other visitors ($engine)', ({ open }) => {
  let db: Database;
  let t: TestApp;
  beforeAll(async () => {
    db = await open();
    t = await testApp(db);
  });
  afterAll(() => db.close());

  it("two visitors' message seq values and SSE ids are the same however busy the other one is", async () => {
    const a = await t.visitor();
    const b = await t.visitor();
    const first = await t.send(a.token, { content: 'A asks', idempotencyKey: key() });
    const conversation = first.body.conversationId as string;
    // A new conversation counts its own writes from 1: the task (1), then its user message (2).
    expect(first.body.message.seq).toBe(2);

    const stream = readSse(await t.request(`/api/conversations/${conversation}/stream`, { token: a.token }));
    const snapshot = await stream.next((e) => e.event === 'snapshot');
    expect(snapshot.id).toBe('2');

    // B is busy: a conversation of ten messages and a task of their own.
    let bConversation: string | undefined;
    const bSeqs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sent = await t.send(b.token, { conversationId: bConversation, content: `B ${i}`, idempotencyKey: key() });
      bConversation = sent.body.conversationId;
      bSeqs.push(sent.body.message.seq);
    }
    await t.request('/api/tasks', { method: 'POST', token: b.token, json: { kind: 'b.private', input: {}, idempotencyKey: key() } });
    // B's numbers are B's own: the same values A's conversation uses, nothing added by A.
    expect(bSeqs).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);

    const second = await t.send(a.token, { conversationId: conversation, content: 'A again', idempotencyKey: key() });
    expect(second.body.message.seq).toBe(4);
    const taskEvent = await stream.next((e) => e.event === 'task' && e.data.id === second.body.task.id);
    const messageEvent = await stream.next((e) => e.event === 'message' && e.data.id === second.body.message.id);
    expect([taskEvent.id, messageEvent.id]).toEqual(['3', '4']);
    await stream.close();

    const page = await (await t.request(`/api/conversations/${conversation}`, { token: a.token })).json();
    expect(page.messages.map((m: { seq: number }) => m.seq)).toEqual([2, 4]);
  });

  it("a task without a conversation counts its own changes: its stream's ids start at 1", async () => {
    const v = await t.visitor();
    const created = await (
      await t.request('/api/tasks', { method: 'POST', token: v.token, json: { kind: 'solo.work', input: {}, idempotencyKey: key() } })
    ).json();
    const stream = readSse(await t.request(`/api/tasks/${created.id}/stream`, { token: v.token }));
    expect((await stream.next((e) => e.event === 'snapshot')).id).toBe('1');
    await t.request(`/api/tasks/${created.id}/cancel`, { method: 'POST', token: v.token, json: {} });
    const cancelled = await stream.next((e) => e.event === 'task' && e.data.status === 'cancelled');
    expect(cancelled.id).toBe('2');
    await stream.close();
  });
});
