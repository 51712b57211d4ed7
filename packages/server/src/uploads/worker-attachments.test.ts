import type { Database } from '@app/db';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../../test/support/fake-llm-server.js';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';
import { png } from '../../test/support/upload-files.js';
import { signRelayToken } from '../relay/relay-token.js';
import { attachmentsOfTask } from './worker-attachments.js';

// What a workflow gets: the files of the message it answers, each with a download URL of its own,
// and a relay that hands the model the image itself when the workflow passes that URL.

const SECRET = 'attachments-test-secret-0123456789abcdef';
let db: Database;
let llm: FakeLlmServer;
let t: TestApp;
beforeAll(async () => {
  db = await memoryDatabase();
  llm = await startFakeLlmServer();
  t = await testApp(db, { WEBHOOK_SECRET: SECRET, LLM_BASE_URL: llm.url, LLM_API_KEY: 'k' });
});
afterAll(async () => {
  await t.hub.stop();
  await llm.close();
  await db.close();
});

async function claimedWithImage() {
  const v = await t.visitor();
  const upload = await (
    await t.request('/api/uploads?filename=error.png', { method: 'POST', token: v.token, body: new Uint8Array(await png(10, 5)) })
  ).json();
  const { body } = await t.send(v.token, { content: 'what is wrong?', idempotencyKey: key(), attachmentIds: [upload.id] });
  const { rows } = await db.asWorker((tx) =>
    tx.query<{ id: string; attempt: number; deadline_at: Date }>("select * from task_claim(10, array['chat.reply'])"),
  );
  const task = rows.find((r) => r.id === body.task.id)!;
  return { v, upload, task };
}

describe('attachments for a workflow', () => {
  it('lists the files of the answered message with worker download URLs that read the file', async () => {
    const { upload, task } = await claimedWithImage();
    const list = await db.asWorker((tx) => attachmentsOfTask(tx, task.id, t.uploads.urls, 'http://server.example'));
    expect(list).toEqual([
      expect.objectContaining({ id: upload.id, filename: 'error.png', mediaType: 'image/png', width: 10, height: 5, inline: true }),
    ]);
    const url = new URL(list[0]!.url);
    expect(url.origin).toBe('http://server.example');
    expect(url.searchParams.get('t')).toMatch(/^w1\./);
    const file = await t.request(`${url.pathname}${url.search}`);
    expect(file.status).toBe(200);
    expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).width).toBe(10);
  });

  it('the relay gives the model the image itself for a download URL the workflow passes, and only for genuine ones', async () => {
    const { upload, task } = await claimedWithImage();
    const [attachment] = await db.asWorker((tx) => attachmentsOfTask(tx, task.id, t.uploads.urls, 'http://server.example'));
    const forged = attachment!.url.replace(/\.[^.]+$/, '.forged');
    llm.enqueue({ content: 'The image shows an error.' });
    const token = signRelayToken(SECRET, { taskId: task.id, attempt: task.attempt, expires: Math.ceil(task.deadline_at.getTime() / 1000) });
    const res = await t.request(`/api/llm-relay/${token}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is wrong?' },
              { type: 'image_url', image_url: { url: attachment!.url } },
              { type: 'image_url', image_url: { url: forged } },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const sent = llm.requests.at(-1)!.body.messages![0]!.content as unknown as { image_url?: { url: string } }[];
    expect(sent[1]!.image_url!.url).toMatch(/^data:image\/png;base64,/);
    expect(sent[2]!.image_url!.url).toBe(forged);
    expect(upload.id).toBe(attachment!.id);
  });
});
