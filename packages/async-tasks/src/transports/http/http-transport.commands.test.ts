import { describe, expect, it } from 'vitest';
import { useContractServer } from '../../../test/http-setup.js';

describe('http transport: commands and session', () => {
  const t = useContractServer();

  it('starts an anonymous session, keeps it in storage per base URL and sends the bearer token', async () => {
    const { transport, storage } = t.transport();
    const task = await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k1' });
    expect(task).toMatchObject({ kind: 'x', status: 'pending' });
    const stored = JSON.parse(storage.getItem(`async-tasks:session:${t.server.baseUrl}`)!);
    expect(stored).toMatchObject({ accessToken: expect.any(String), userId: expect.any(String) });
    const call = t.server.requests.find((r) => r.url === '/api/tasks')!;
    expect(call.authorization).toBe(`Bearer ${stored.accessToken}`);
    await transport.getTask(task.id);
    expect(t.server.requests.filter((r) => r.url === '/api/session')).toHaveLength(1);
  });

  it('is idempotent through the key: the same key gives the same task', async () => {
    const { transport } = t.transport();
    const a = await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'same' });
    const b = await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'same' });
    expect(b.id).toBe(a.id);
  });

  it('refreshes the token once on 401 and repeats the request', async () => {
    const { transport } = t.transport();
    const task = await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' });
    t.server.revokeTokens();
    await expect(transport.getTask(task.id)).resolves.toMatchObject({ id: task.id });
    expect(t.server.requests.map((r) => r.url)).toContain('/api/session/refresh');
  });

  it('refreshes a token that expires within a minute before using it', async () => {
    const { transport, storage } = t.transport();
    await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' });
    const key = `async-tasks:session:${t.server.baseUrl}`;
    const session = JSON.parse(storage.getItem(key)!);
    storage.setItem(key, JSON.stringify({ ...session, expiresAt: Math.floor(Date.now() / 1000) + 30 }));
    await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k2' });
    expect(t.server.requests.map((r) => r.url)).toEqual(['/api/session', '/api/tasks', '/api/session/refresh', '/api/tasks']);
    expect(JSON.parse(storage.getItem(key)!).accessToken).not.toBe(session.accessToken);
  });

  it('starts a new anonymous session when the server refuses the refresh token', async () => {
    const { transport, storage } = t.transport();
    const task = await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' });
    const key = `async-tasks:session:${t.server.baseUrl}`;
    storage.setItem(key, JSON.stringify({ ...JSON.parse(storage.getItem(key)!), refreshToken: 'revoked' }));
    t.server.revokeTokens();
    await expect(transport.getTask(task.id)).resolves.toMatchObject({ id: task.id });
    expect(t.server.requests.filter((r) => r.url === '/api/session')).toHaveLength(2);
  });

  it('uses a host token from getToken, asking for a fresh one after a 401', async () => {
    const { transport: anonymous, storage } = t.transport();
    await anonymous.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' });
    const token = JSON.parse(storage.getItem(`async-tasks:session:${t.server.baseUrl}`)!).accessToken as string;
    const calls: boolean[] = [];
    const { transport } = t.transport({
      getToken: ({ forceRefresh }) => {
        calls.push(forceRefresh);
        return forceRefresh ? 'bad' : token;
      },
    });
    await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k2' });
    expect(calls).toEqual([false]);
  });

  it('never retries 404 and maps it to TaskNotFoundError', async () => {
    const { transport } = t.transport();
    await expect(transport.getTask('nope')).rejects.toMatchObject({ name: 'TaskNotFoundError', status: 404, code: 'not_found' });
    expect(t.server.requests.filter((r) => r.url === '/api/tasks/nope')).toHaveLength(1);
  });

  it('never retries 400 and maps it to ValidationError', async () => {
    const { transport } = t.transport();
    const send = transport.sendChatMessage({ content: 'x'.repeat(16_001), idempotencyKey: 'k' });
    await expect(send).rejects.toMatchObject({ name: 'ValidationError', code: 'invalid_content' });
    expect(t.server.requests.filter((r) => r.url === '/api/chat/send')).toHaveLength(1);
  });

  it('retries a 503 with backoff and then succeeds', async () => {
    const { transport } = t.transport();
    await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'warm-up' });
    t.server.failNext(503, 502);
    await expect(transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' })).resolves.toMatchObject({ kind: 'x' });
  });

  it('gives up on a 5xx after the allowed retries with a retryable HttpError', async () => {
    const { transport } = t.transport({ commandRetries: 1 });
    await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'warm-up' });
    t.server.failNext(500, 500, 500);
    await expect(transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' })).rejects.toMatchObject({
      name: 'HttpError',
      status: 500,
      retryable: true,
    });
  });

  it('turns an unreachable server into a NetworkError', async () => {
    const { transport } = t.transport({ baseUrl: 'http://127.0.0.1:9', commandRetries: 0 });
    await expect(transport.getTask('x')).rejects.toMatchObject({ name: 'NetworkError', retryable: true });
  });

  it('never puts the token in a URL', async () => {
    const { transport } = t.transport();
    const task = await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' });
    const stop = transport.subscribeTask(task.id, () => {});
    t.cleanup(stop);
    await transport.getConversation('none').catch(() => {});
    expect(t.server.requests.every((r) => !/at-\d/.test(r.url))).toBe(true);
  });
});
