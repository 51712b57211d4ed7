import { describe, expect, it } from 'vitest';
import { useContractServer } from '../../../test/http-setup.js';
import { createAuthorizedFetch } from './authorized-fetch.js';
import { resolveEnvironment } from './environment.js';
import { createServerFetch } from './server-fetch.js';

describe('authorised fetch', () => {
  const t = useContractServer();

  const open = (token: (refresh: boolean) => string) => {
    const asked: boolean[] = [];
    const request = createServerFetch(t.server.baseUrl, resolveEnvironment({ storage: null, connectivity: null, visibility: null }));
    const fetch = createAuthorizedFetch(request, {
      token: async (refresh = false) => {
        asked.push(refresh);
        return token(refresh);
      },
    });
    return { fetch, asked };
  };

  it('asks for a fresh token once after a 401, and gives up with an AuthError when that one is refused too', async () => {
    const { fetch, asked } = open(() => 'not-a-token');
    await expect(fetch('/api/tasks/t-1', {}, { resource: 'task' })).rejects.toMatchObject({ name: 'AuthError', status: 401 });
    expect(asked).toEqual([false, true]);
    expect(t.server.requests.filter((r) => r.url === '/api/tasks/t-1').map((r) => r.authorization)).toEqual([
      'Bearer not-a-token',
      'Bearer not-a-token',
    ]);
  });

  it('repeats the request with the fresh token, for a stream as for a command', async () => {
    const { transport, storage } = t.transport();
    await transport.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' }); // a real session to refresh into
    const good = JSON.parse(storage.getItem(`async-tasks:session:${t.server.baseUrl}`)!).accessToken as string;
    const { fetch, asked } = open((refresh) => (refresh ? good : 'stale'));
    const stream = await fetch('/api/tasks/none/stream', { headers: { accept: 'text/event-stream' } }, { resource: 'task' }).catch(
      (e) => e,
    );
    expect(stream).toMatchObject({ name: 'TaskNotFoundError' }); // got past the 401: the server looked for the task
    expect(asked).toEqual([false, true]);
  });

  it('turns a token source that cannot answer into a NetworkError', async () => {
    const request = createServerFetch(t.server.baseUrl, resolveEnvironment({ storage: null }));
    const fetch = createAuthorizedFetch(request, {
      token: () => Promise.reject(new TypeError('host failed')),
    });
    await expect(fetch('/api/tasks', { method: 'POST' })).rejects.toMatchObject({
      name: 'NetworkError',
      retryable: true,
      cause: { message: 'host failed' },
    });
  });
});
