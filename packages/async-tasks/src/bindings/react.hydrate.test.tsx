// @vitest-environment jsdom
import { act } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useContractServer } from '../../test/http-setup.js';
import { createTaskClient, type TaskClient } from '../task/task-client.js';
import { createHttpTransport } from '../transports/http/http-transport.js';
import { useAsyncChat, useTask } from './react.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function Page({ client, taskId, conversationId }: { client: TaskClient; taskId: string; conversationId: string }) {
  const task = useTask(client, taskId);
  const chat = useAsyncChat({ client, conversationId, BroadcastChannel: null });
  return (
    <main>
      <p id="task">{`${task?.status} ${task?.connection}`}</p>
      <p id="chat">{chat.connection}</p>
      <ul>
        {chat.messages.map((m) => (
          <li key={m.id}>{m.content}</li>
        ))}
      </ul>
    </main>
  );
}

describe('React bindings: server HTML hydrated in the browser', () => {
  const t = useContractServer();
  let root: Root | null = null;
  afterEach(async () => {
    await act(async () => root?.unmount());
    root = null;
  });

  it('hydrate without a mismatch, then connect and show the live state', async () => {
    const { transport: seed } = t.transport();
    const task = await seed.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' });
    const { conversationId } = await seed.sendChatMessage({ content: 'Hello from before', idempotencyKey: 'k2' });
    const props = { taskId: task.id, conversationId };

    const serverFetch = vi.fn<typeof fetch>();
    const serverClient = createTaskClient({
      transport: createHttpTransport({ baseUrl: t.server.baseUrl, fetch: serverFetch, storage: null }),
    });
    const html = renderToString(<Page client={serverClient} {...props} />);
    expect(serverFetch).not.toHaveBeenCalled();

    const container = document.body.appendChild(document.createElement('div'));
    container.innerHTML = html;
    const serverTaskLine = container.querySelector('#task');
    const recoverable = vi.fn();
    const consoleError = vi.spyOn(console, 'error');
    const requestsBefore = t.server.requests.length;
    const { transport } = t.transport();
    await act(async () => {
      root = hydrateRoot(container, <Page client={createTaskClient({ transport })} {...props} />, { onRecoverableError: recoverable });
    });
    await vi.waitFor(() => {
      expect(container.querySelector('#task')!.textContent).toBe('pending live');
      expect(container.querySelector('#chat')!.textContent).toBe('live');
      expect([...container.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Hello from before']);
    });
    expect(recoverable).not.toHaveBeenCalled();
    // (Updates from the stream arrive outside act(), which React mentions too: only hydration counts.)
    expect(consoleError.mock.calls.map((call) => String(call[0])).filter((text) => /hydrat|did not match/i.test(text))).toEqual([]);
    expect(container.querySelector('#task')).toBe(serverTaskLine); // hydrated: the server's nodes were kept
    expect(t.server.requests.slice(requestsBefore).map((r) => r.url)).toEqual(
      expect.arrayContaining([`/api/tasks/${task.id}/stream`, `/api/conversations/${conversationId}/stream`]),
    );
    consoleError.mockRestore();
    container.remove();
  });
});
