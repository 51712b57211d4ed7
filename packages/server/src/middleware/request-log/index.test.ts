import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { key, memoryDatabase, testApp } from '../../../test/support/test-app.js';
import { createLogger } from '../../logger.js';

let db: Database;
beforeAll(async () => {
  db = await memoryDatabase();
});
afterAll(() => db.close());

describe('request logs', () => {
  it('are JSON lines with request ids and user ids, without message content or tokens', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    const t = await testApp(db, {}, { logger: createLogger('info', sink) });
    const v = await t.visitor();
    const secretText = 'my card number is 4111 1111 1111 1111';
    const sent = await t.send(v.token, { content: secretText, idempotencyKey: key() });
    expect(sent.status).toBe(201);
    await expect.poll(() => lines.length).toBeGreaterThanOrEqual(3);
    const all = lines.join('\n');
    expect(all).not.toContain('4111');
    expect(all).not.toContain(v.token);
    const records = lines.map((l) => JSON.parse(l));
    const send = records.find((r) => r.msg === 'request' && r.route === '/api/chat/send');
    expect(send).toMatchObject({ method: 'POST', status: 201, userId: v.userId });
    expect(send.requestId).toEqual(expect.any(String));
    expect(records.find((r) => r.msg === 'chat message stored')).toMatchObject({ taskId: sent.body.task.id, requestId: send.requestId });
  });
});
