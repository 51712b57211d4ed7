import type { Database } from '@app/db';
import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, postgresDatabase, testApp, type TestApp } from './support/test-app.js';
import { png } from './support/upload-files.js';

// Files kept in the database by default: two server instances on one PostgreSQL serve each
// other's uploads, share the visitor's daily bytes, and keep every visitor to their own files.

describe.runIf(checkRequirement(requirements.postgres))('uploads on PostgreSQL with two instances', () => {
  let db: Database;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await postgresDatabase();
    const env = { UPLOAD_MAX_BYTES_PER_VISITOR_PER_DAY: '60000' };
    a = await testApp(db, env);
    b = await testApp(db, env);
  });
  afterAll(async () => {
    await a?.hub.stop();
    await b?.hub.stop();
    await db?.close();
  });

  it('an upload made on one instance is read, attached and listed on the other', async () => {
    const v = await a.visitor();
    const res = await a.request('/api/uploads?filename=shot.png', {
      method: 'POST',
      token: v.token,
      body: new Uint8Array(await png(6, 4)),
    });
    expect(res.status).toBe(201);
    const upload = await res.json();
    const file = await b.request(upload.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    const sent = await b.send(v.token, { content: 'from the other instance', idempotencyKey: key(), attachmentIds: [upload.id] });
    expect(sent.status).toBe(201);
    const page = await (await a.request(`/api/conversations/${sent.body.conversationId}`, { token: v.token })).json();
    expect(page.messages[0].attachments.map((f: { id: string }) => f.id)).toEqual([upload.id]);
  });

  it("counts a visitor's bytes over both instances, and gives another visitor 404 on either", async () => {
    const v = await a.visitor();
    const other = await b.visitor();
    const text = new Uint8Array(25_000).fill(97);
    const post = (app: TestApp) => app.request('/api/uploads?filename=a.txt', { method: 'POST', token: v.token, body: text });
    const first = await (await post(a)).json();
    expect((await post(b)).status).toBe(201);
    expect((await post(a)).status).toBe(429);
    for (const app of [a, b]) {
      expect((await app.request(`/api/uploads/${first.id}`, { token: other.token })).status).toBe(404);
    }
    const theirs = await (
      await b.request('/api/uploads?filename=b.png', { method: 'POST', token: other.token, body: new Uint8Array(await png()) })
    ).json();
    const theirToken = new URL(theirs.url, 'http://x').searchParams.get('t');
    expect((await a.request(`/api/uploads/${first.id}/content?t=${theirToken}`)).status).toBe(404);
  });
});
