// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { useContractServer } from '../../test/http-setup.js';
import { createTaskClient, type TaskClient } from '../task/task-client.js';
import { createHttpTransport } from '../transports/http/http-transport.js';
import { useAsyncChat, useTask } from './vue.js';

const Page = defineComponent({
  props: {
    client: { type: Object as () => TaskClient, required: true },
    taskId: { type: String, required: true },
    conversationId: { type: String, required: true },
  },
  setup(props) {
    // biome-ignore-start lint/correctness/useHookAtTopLevel: Vue composables, called in setup() as they should be
    const task = useTask(props.client, () => props.taskId);
    const chat = useAsyncChat({ client: props.client, conversationId: props.conversationId, BroadcastChannel: null });
    // biome-ignore-end lint/correctness/useHookAtTopLevel: -
    return () =>
      h('main', [
        h('p', { id: 'task' }, `${task.value?.status} ${task.value?.connection}`),
        h('p', { id: 'chat' }, chat.connection.value),
        h(
          'ul',
          chat.messages.value.map((m) => h('li', { key: m.id }, m.content)),
        ),
      ]);
  },
});

describe('Vue bindings: server HTML hydrated in the browser', () => {
  const t = useContractServer();

  it('hydrate without a mismatch, then connect and show the live state', async () => {
    const { transport: seed } = t.transport();
    const task = await seed.createTask({ kind: 'x', input: 1, idempotencyKey: 'k' });
    const { conversationId } = await seed.sendChatMessage({ content: 'Hello from before', idempotencyKey: 'k2' });
    const props = { taskId: task.id, conversationId };

    const serverFetch = vi.fn<typeof fetch>();
    const serverClient = createTaskClient({
      transport: createHttpTransport({ baseUrl: t.server.baseUrl, fetch: serverFetch, storage: null }),
    });
    const html = await renderToString(createSSRApp(Page, { client: serverClient, ...props }));
    expect(serverFetch).not.toHaveBeenCalled();

    const container = document.body.appendChild(document.createElement('div'));
    container.innerHTML = html;
    const serverTaskLine = container.querySelector('#task');
    const warnings = [vi.spyOn(console, 'warn'), vi.spyOn(console, 'error')];
    const requestsBefore = t.server.requests.length;
    const { transport } = t.transport();
    const app = createSSRApp(Page, { client: createTaskClient({ transport }), ...props });
    app.mount(container); // a container with server HTML in it: hydrates
    await vi.waitFor(() => {
      expect(container.querySelector('#task')!.textContent).toBe('pending live');
      expect(container.querySelector('#chat')!.textContent).toBe('live');
      expect([...container.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Hello from before']);
    });
    expect(warnings.flatMap((spy) => spy.mock.calls.map((call) => String(call[0])))).toEqual([]); // no "Hydration … mismatch"
    expect(container.querySelector('#task')).toBe(serverTaskLine); // hydrated: the server's nodes were kept
    expect(t.server.requests.slice(requestsBefore).map((r) => r.url)).toEqual(
      expect.arrayContaining([`/api/tasks/${task.id}/stream`, `/api/conversations/${conversationId}/stream`]),
    );
    app.unmount(); // the scope ends: the streams close
    for (const spy of warnings) spy.mockRestore();
    container.remove();
  });
});
