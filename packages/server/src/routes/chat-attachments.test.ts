import type { Database } from '@app/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';
import { readSse } from '../../test/support/sse-reader.js';
import { png } from '../../test/support/upload-files.js';

let db: Database;
let t: TestApp;
let alice: { token: string; userId: string };
let bob: { token: string; userId: string };
beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db, { UPLOAD_MAX_FILES_PER_MESSAGE: '2' });
  alice = await t.visitor();
  bob = await t.visitor();
});
afterAll(() => db.close());

const upload = async (token: string, name = 'shot.png') =>
  (await (await t.request(`/api/uploads?filename=${name}`, { method: 'POST', token, body: new Uint8Array(await png()) })).json()) as {
    id: string;
    url: string;
  };

describe('POST /api/chat/send with attachments', () => {
  it('links the uploads to the stored message and answers them with read URLs; history carries them too', async () => {
    const file = await upload(alice.token);
    const sent = await t.send(alice.token, { content: 'what is this error?', idempotencyKey: key(), attachmentIds: [file.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.message.attachments).toEqual([
      expect.objectContaining({ id: file.id, filename: 'shot.png', mediaType: 'image/png', inline: true }),
    ]);
    expect((await t.request(sent.body.message.attachments[0].url)).status).toBe(200);

    const page = await (await t.request(`/api/conversations/${sent.body.conversationId}`, { token: alice.token })).json();
    expect(page.messages[0].attachments).toEqual([expect.objectContaining({ id: file.id, mediaType: 'image/png' })]);

    const row = (
      await db.query<{ message_id: string; expires_at: Date | null }>('select message_id, expires_at from public.uploads where id = $1', [
        file.id,
      ])
    ).rows[0]!;
    expect(row).toEqual({ message_id: sent.body.message.id, expires_at: null });
  });

  it('keeps the files with the question when it is edited: the edited message has them, in the answer and in history', async () => {
    const file = await upload(alice.token);
    const sent = await t.send(alice.token, { content: 'what is this eror?', idempotencyKey: key(), attachmentIds: [file.id] });
    const res = await t.request(`/api/messages/${sent.body.message.id}/edit`, {
      method: 'POST',
      token: alice.token,
      json: { content: 'what is this error?', idempotencyKey: key() },
    });
    expect(res.status).toBe(201);
    const edited = await res.json();
    expect(edited.message.attachments).toEqual([expect.objectContaining({ id: file.id, mediaType: 'image/png' })]);
    expect((await t.request(edited.message.attachments[0].url)).status).toBe(200);
    const page = await (await t.request(`/api/conversations/${sent.body.conversationId}`, { token: alice.token })).json();
    const shown = page.messages.find((m: { id: string }) => m.id === edited.message.id);
    expect(shown.attachments.map((a: { id: string }) => a.id)).toEqual([file.id]);
  });

  it('answers a repeated send with the same attachments, attaching nothing twice', async () => {
    const file = await upload(alice.token);
    const body = { content: 'again', idempotencyKey: key(), attachmentIds: [file.id] };
    const first = await t.send(alice.token, body);
    const second = await t.send(alice.token, body);
    expect(second.status).toBe(200);
    expect(second.body.message.attachments.map((a: { id: string }) => a.id)).toEqual([file.id]);
    expect(first.body.message.id).toBe(second.body.message.id);
  });

  it("refuses another visitor's upload with 404 and stores nothing of the send", async () => {
    const alices = await upload(alice.token);
    const idempotencyKey = key();
    const res = await t.send(bob.token, { content: 'mine now', idempotencyKey, attachmentIds: [alices.id] });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'upload not found' });
    const { rows } = await db.query('select 1 from public.async_tasks where idempotency_key = $1', [idempotencyKey]);
    expect(rows).toHaveLength(0);
  });

  it('refuses an upload already on another message, and more files than the operator allows', async () => {
    const file = await upload(alice.token);
    expect((await t.send(alice.token, { content: 'one', idempotencyKey: key(), attachmentIds: [file.id] })).status).toBe(201);
    const again = await t.send(alice.token, { content: 'two', idempotencyKey: key(), attachmentIds: [file.id] });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/already attached to another message/);
    const three = await Promise.all([upload(alice.token), upload(alice.token), upload(alice.token)]);
    const many = await t.send(alice.token, { content: 'three', idempotencyKey: key(), attachmentIds: three.map((f) => f.id) });
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(/at most 2 files on one message \(UPLOAD_MAX_FILES_PER_MESSAGE\)/);
    const malformed = await t.send(alice.token, { content: 'x', idempotencyKey: key(), attachmentIds: ['../etc'] });
    expect(malformed.status).toBe(400);
  });

  it("gives another visitor 404 for the conversation and the message's files", async () => {
    const file = await upload(alice.token);
    const sent = await t.send(alice.token, { content: 'private', idempotencyKey: key(), attachmentIds: [file.id] });
    expect((await t.request(`/api/conversations/${sent.body.conversationId}`, { token: bob.token })).status).toBe(404);
    expect((await t.request(`/api/uploads/${file.id}`, { token: bob.token })).status).toBe(404);
    const bobsFile = await upload(bob.token);
    const bobsToken = new URL(bobsFile.url, 'http://x').searchParams.get('t');
    expect((await t.request(`/api/uploads/${file.id}/content?t=${bobsToken}`)).status).toBe(404);
  });

  it('streams carry the attachments: in the snapshot and in the message event of a later send', async () => {
    const first = await upload(alice.token, 'first.png');
    const sent = await t.send(alice.token, { content: 'one', idempotencyKey: key(), attachmentIds: [first.id] });
    const id = sent.body.conversationId;
    const sse = readSse(await t.request(`/api/conversations/${id}/stream`, { token: alice.token }));
    const snapshot = await sse.next();
    expect(snapshot.data.messages[0].attachments).toEqual([expect.objectContaining({ id: first.id, filename: 'first.png' })]);
    const second = await upload(alice.token, 'second.png');
    await t.send(alice.token, { conversationId: id, content: 'two', idempotencyKey: key(), attachmentIds: [second.id] });
    const message = await sse.find((e) => e.event === 'message' && e.data.content === 'two');
    expect(message.data.attachments).toEqual([expect.objectContaining({ id: second.id, filename: 'second.png', inline: true })]);
    expect((await t.request(message.data.attachments[0].url)).status).toBe(200);
    await sse.close();
  });

  it('deleting the conversation deletes its files: the rows, the bytes, and the read URL answers 404', async () => {
    const file = await upload(alice.token);
    const sent = await t.send(alice.token, { content: 'bye', idempotencyKey: key(), attachmentIds: [file.id] });
    const url = sent.body.message.attachments[0].url;
    expect((await t.request(url)).status).toBe(200);
    expect((await t.request(`/api/conversations/${sent.body.conversationId}`, { method: 'DELETE', token: alice.token })).status).toBe(200);
    expect((await db.query('select 1 from public.upload_contents where upload_id = $1', [file.id])).rows).toHaveLength(0);
    expect((await t.request(url)).status).toBe(404);
  });
});
