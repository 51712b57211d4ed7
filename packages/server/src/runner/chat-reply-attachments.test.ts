import type { Database } from '@app/db';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunnerHarness, runnerHarness } from '../../test/support/runner-harness.js';
import { key, memoryDatabase } from '../../test/support/test-app.js';
import { pdfWithText, png } from '../../test/support/upload-files.js';
import { createDemoModel } from '../llm/demo-model.js';

let db: Database;
beforeAll(async () => {
  db = await memoryDatabase();
});
afterAll(() => db.close());
let h: RunnerHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
  await db.asService((tx) =>
    tx.query("update async_tasks set status = 'cancelled', finished_at = now() where status in ('pending', 'processing')"),
  );
});

const POLL = { timeout: 30_000, interval: 50 };

async function sendWithFiles(harness: RunnerHarness, content: string, files: { bytes: Uint8Array; name: string }[]) {
  const v = await harness.visitor();
  const ids: string[] = [];
  for (const file of files) {
    const res = await harness.request(`/api/uploads?filename=${file.name}`, {
      method: 'POST',
      token: v.token,
      body: new Uint8Array(file.bytes),
    });
    ids.push((await res.json()).id);
  }
  const { body } = await harness.send(v.token, { content, idempotencyKey: key(), attachmentIds: ids });
  return { ...v, taskId: body.task.id as string };
}

type Part = { type: string; text?: string; image_url?: { url: string } };

describe('the built-in runner with attachments', () => {
  it('sends an image to the model as an image_url part (a data: URL), named in a text part before it', async () => {
    h = await runnerHarness({ db });
    h.llm.enqueue({ content: 'The screenshot shows a blue rectangle.' });
    const { taskId } = await sendWithFiles(h, 'What does this show?', [{ bytes: await png(12, 9), name: 'screenshot.png' }]);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    const last = h.llm.requests[0]!.body.messages!.at(-1)! as unknown as { role: string; content: Part[] };
    expect(last.role).toBe('user');
    expect(last.content[0]).toEqual({ type: 'text', text: 'What does this show?' });
    expect(last.content[1]).toEqual({ type: 'text', text: '[Attached image: screenshot.png, 12×9 pixels]' });
    expect(last.content[2]!.type).toBe('image_url');
    const url = last.content[2]!.image_url!.url;
    expect(url).toMatch(/^data:image\/png;base64,/);
    expect((await sharp(Buffer.from(url.split(',')[1]!, 'base64')).metadata()).width).toBe(12);
    expect((await h.task(taskId)).result).toEqual({ content: 'The screenshot shows a blue rectangle.' });
  });

  it('with files to read it writes one status more: "Reading the conversation…" at the start, "AI is thinking…" once they are read', async () => {
    h = await runnerHarness({ db });
    h.llm.enqueue({ content: 'A log line.', ignoreStream: true });
    const { taskId } = await sendWithFiles(h, 'see the log', [{ bytes: Buffer.from('INFO ok\n'), name: 'app.log' }]);
    const made = await h.task(taskId);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    const done = await h.task(taskId);
    // Claimed, started (reading), thinking, completed: the files cost one status write, and the
    // last status written (completing keeps it) is the thinking one.
    expect(done.version - made.version).toBe(4);
    expect(done.status_message).toBe('AI is thinking…');
  });

  it('gives a text file to the model as text within the budget', async () => {
    h = await runnerHarness({ db });
    h.llm.enqueue({ content: 'E42 means the disk is full.' });
    const { taskId } = await sendWithFiles(h, 'see the log', [{ bytes: Buffer.from('ERROR E42 at 10:02\n'), name: 'app.log' }]);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    const last = h.llm.requests[0]!.body.messages!.at(-1)! as unknown as { content: Part[] };
    expect(last.content).toEqual([
      { type: 'text', text: 'see the log' },
      { type: 'text', text: '[Attached file: app.log]\nERROR E42 at 10:02\n' },
    ]);
  });

  it("gives a PDF's text to the model as text", async () => {
    h = await runnerHarness({ db });
    h.llm.enqueue({ content: 'The invoice totals 99 EUR.' });
    const { taskId } = await sendWithFiles(h, 'what is the total?', [
      { bytes: pdfWithText('Invoice 42: total 99 EUR'), name: 'invoice.pdf' },
    ]);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    const last = h.llm.requests[0]!.body.messages!.at(-1)! as unknown as { content: Part[] };
    expect(last.content).toEqual([
      { type: 'text', text: 'what is the total?' },
      { type: 'text', text: '[Attached file: invoice.pdf, its text]\nInvoice 42: total 99 EUR' },
    ]);
  });

  it('fails clearly, without calling the model, when the model cannot read images', async () => {
    h = await runnerHarness({ db, env: { LLM_ACCEPTS_IMAGES: 'false' } });
    const { taskId } = await sendWithFiles(h, 'look', [{ bytes: await png(), name: 'a.png' }]);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('failed');
    const task = await h.task(taskId);
    expect(task.error).toMatchObject({ code: 'attachment_unsupported', retryable: false });
    expect(task.error.message).toMatch(/cannot look at images/);
    expect(h.llm.requests).toHaveLength(0);
  });

  it('says the model refused the image when the model answers a request with one with a 4xx', async () => {
    h = await runnerHarness({ db, maxRetries: 0 });
    h.llm.enqueue({ status: 400, body: { error: { message: 'image input is not supported' } } });
    const { taskId } = await sendWithFiles(h, 'look', [{ bytes: await png(), name: 'a.png' }]);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('failed');
    const task = await h.task(taskId);
    expect(task.error).toMatchObject({ code: 'attachment_unsupported', retryable: false });
    expect(task.error.message).toMatch(/refused the attached image \(it answered 400\)/);
  });

  it('the demo model names the attachment in its reply', async () => {
    h = await runnerHarness({ db, model: createDemoModel({ delayMs: 0, wordDelayMs: 0 }) });
    const { taskId } = await sendWithFiles(h, 'my screen', [{ bytes: await png(20, 10), name: 'screen.png' }]);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    const reply = (await h.task(taskId)).result.content as string;
    expect(reply).toContain('You said: my screen');
    expect(reply).toContain('Attached image: screen.png, 20×10 pixels — one image the model would see.');
  });
});
