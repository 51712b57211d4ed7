import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';

let db: Database;
let t: TestApp;
let owner: { token: string };
let intruder: { token: string };
let taskId: string;
let conversationId: string;
const UNKNOWN = '9b2f1c3e-0000-4000-8000-000000000000';

beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db);
  owner = await t.visitor();
  intruder = await t.visitor();
  const { body } = await t.send(owner.token, { content: 'private', idempotencyKey: key() });
  taskId = body.task.id;
  conversationId = body.conversationId;
});
afterAll(() => db.close());

const endpoints = (task: string, conversation: string): Array<[string, string, unknown?]> => [
  ['GET', `/api/tasks/${task}`],
  ['GET', `/api/tasks/${task}/stream`],
  ['POST', `/api/tasks/${task}/cancel`, {}],
  ['POST', `/api/tasks/${task}/retry`, {}],
  ['GET', `/api/conversations/${conversation}`],
  ['GET', `/api/conversations/${conversation}/stream`],
  ['POST', '/api/chat/send', { conversationId: conversation, content: 'x', idempotencyKey: 'intruder-key' }],
];

describe("another visitor's data", () => {
  it.each(endpoints('TASK', 'CONV').map(([m, p]) => [m, p]))('%s %s answers 404, exactly as for an unknown id', async (method, pattern) => {
    const pick = (task: string, conversation: string) =>
      endpoints(task, conversation).find(([m, p]) => m === method && p === pattern.replace('TASK', task).replace('CONV', conversation))!;
    const [, foreignPath, body] = pick(taskId, conversationId);
    const [, unknownPath, unknownBody] = pick(UNKNOWN, UNKNOWN);
    const call = (path: string, json: unknown) => t.request(path, { method, token: intruder.token, ...(json ? { json } : {}) });
    const foreign = await call(foreignPath, body);
    const unknown = await call(unknownPath, unknownBody);
    expect(foreign.status).toBe(404);
    const foreignBody = await foreign.json();
    expect(foreignBody).toEqual(await unknown.json());
    expect(foreignBody.error.code).toBe('not_found');
  });

  it('left the task untouched', async () => {
    const res = await t.request(`/api/tasks/${taskId}`, { token: owner.token });
    expect(await res.json()).toMatchObject({ status: 'pending', cancelRequested: false, version: 1 });
  });

  it('a malformed id is a 404 too', async () => {
    const res = await t.request('/api/tasks/not-a-uuid', { token: intruder.token });
    expect(res.status).toBe(404);
  });
});

describe('CORS', () => {
  it('allows a configured origin', async () => {
    const res = await t.request('/api/session', {
      method: 'OPTIONS',
      headers: { origin: 'https://allowed.example', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://allowed.example');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('denies an unknown origin', async () => {
    const preflight = await t.request('/api/session', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await t.request('/api/session', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});
