// @vitest-environment jsdom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { memoryStorage } from '../../test/fixtures.js';
import { type ChatSession, type ChatSessionOptions, createChatSession } from '../chat/chat-session.js';
import { createMemoryTransport } from '../transports/memory/memory-transport.js';
import { createTaskClient, type TaskClient } from '../task/task-client.js';
import { type AsyncChat, useAsyncChat, useTask } from './vue.js';

const mounted: Array<{ unmount(): void }> = [];
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount();
});

const Chat = defineComponent({
  props: { client: { type: Object as () => TaskClient, required: true } },
  setup(props) {
    // biome-ignore lint/correctness/useHookAtTopLevel: a Vue composable, called in setup() as it should be
    const chat = useAsyncChat({ client: props.client, storage: memoryStorage(), BroadcastChannel: null });
    return () =>
      h('div', [
        h(
          'ul',
          chat.messages.value.map((m) => h('li', { key: m.id }, `${m.role}: ${m.content}`)),
        ),
        h('p', { role: 'status' }, chat.activeTask.value?.statusMessage ?? ''),
        h('button', { onClick: () => void chat.send('Hello Vue') }, 'send'),
      ]);
  },
});

describe('Vue bindings', () => {
  it('useAsyncChat renders the optimistic message, the live status and the reply', async () => {
    const client = createTaskClient({
      transport: createMemoryTransport({ stepDelayMs: 150, replyDelayMs: 150, reply: (t) => `Echo ${t}` }),
    });
    const wrapper = mount(Chat, { props: { client } });
    mounted.push(wrapper);
    await wrapper.get('button').trigger('click');
    await nextTick();
    expect(wrapper.findAll('li').map((li) => li.text())).toEqual(['user: Hello Vue']);
    await vi.waitFor(() => expect(wrapper.get('[role=status]').text()).toMatch(/Reading|thinking/), { interval: 10 });
    await vi.waitFor(() => expect(wrapper.findAll('li').map((li) => li.text())).toEqual(['user: Hello Vue', 'assistant: Echo Hello Vue']));
    expect(wrapper.get('[role=status]').text()).toBe('');
  });

  it('useAsyncChat shows a streaming reply growing in one node until it is final', async () => {
    // The fake server's clock, so each chunk can be looked at.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const transport = createMemoryTransport({
        stepDelayMs: 10,
        replyDelayMs: 10,
        streamChunkChars: 8,
        streamChunkDelayMs: 100,
        reply: () => 'Streams are nice.',
      });
      let chat: AsyncChat | undefined;
      const View = defineComponent({
        setup() {
          // biome-ignore lint/correctness/useHookAtTopLevel: a Vue composable, called in setup() as it should be
          chat = useAsyncChat({ client: createTaskClient({ transport }), storage: memoryStorage(), BroadcastChannel: null });
          // Assistant items keyed by their task, so one node shows a reply from its first words to its message.
          return () =>
            h(
              'ul',
              chat!.messages.value.map((m) =>
                h('li', { key: (m.role === 'assistant' && m.taskId) || m.id, 'data-status': m.status }, `${m.role}: ${m.content}`),
              ),
            );
        },
      });
      const wrapper = mount(View);
      mounted.push(wrapper);
      const shown = () => wrapper.findAll('li').map((li) => `${li.attributes('data-status')} ${li.text()}`);
      const tick = async (ms: number) => {
        await vi.advanceTimersByTimeAsync(ms);
        await nextTick();
      };
      await chat!.send('Tell me');
      await tick(30); // the status steps, then the first chunk
      expect(shown()).toEqual(['final user: Tell me', 'streaming assistant: Streams']);
      const node = wrapper.findAll('li')[1]!.element;
      await tick(100);
      expect(shown()).toEqual(['final user: Tell me', 'streaming assistant: Streams are nice']);
      await tick(100);
      expect(shown()).toEqual(['final user: Tell me', 'final assistant: Streams are nice.']);
      expect(wrapper.findAll('li')[1]!.element).toBe(node);
    } finally {
      vi.useRealTimers();
    }
  });

  it('useTask follows a changing id', async () => {
    const client = createTaskClient({ transport: createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5 }) });
    const id = ref<string | null>(null);
    const View = defineComponent({
      setup() {
        // biome-ignore lint/correctness/useHookAtTopLevel: a Vue composable, called in setup() as it should be
        const task = useTask(client, id);
        return () => h('p', task.value ? `${task.value.status}:${task.value.connection}` : 'no task');
      },
    });
    const wrapper = mount(View);
    mounted.push(wrapper);
    expect(wrapper.text()).toBe('no task');
    id.value = (await client.create('x', 1)).id;
    await vi.waitFor(() => expect(wrapper.text()).toBe('completed:live'));
  });

  const probe = (arg: ChatSession | ChatSessionOptions, seen: (chat: AsyncChat) => void) =>
    defineComponent({
      setup() {
        // biome-ignore lint/correctness/useHookAtTopLevel: a Vue composable, called in setup() as it should be
        const chat = useAsyncChat(arg);
        seen(chat);
        return () => h('p', chat.messages.value.map((m) => m.content).join('|'));
      },
    });

  it('useAsyncChat destroys the session it made when the component goes', async () => {
    const client = createTaskClient({ transport: createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5, reply: (t) => `Echo ${t}` }) });
    let chat: AsyncChat | undefined;
    const wrapper = mount(probe({ client, storage: memoryStorage(), BroadcastChannel: null }, (c) => (chat = c)));
    const destroy = vi.spyOn(chat!.session, 'destroy');
    await chat!.send('Hi');
    await vi.waitFor(() => expect(wrapper.text()).toBe('Hi|Echo Hi'));
    wrapper.unmount();
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('useAsyncChat leaves a session it was given alive after unmount', async () => {
    const transport = createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5 });
    const session = createChatSession({ client: createTaskClient({ transport }), storage: memoryStorage(), BroadcastChannel: null });
    const destroy = vi.spyOn(session, 'destroy');
    mount(probe(session, () => {})).unmount();
    expect(destroy).not.toHaveBeenCalled();
    await session.send('still here');
    expect(transport.inspect().messages.map((m) => m.content)).toContain('still here');
    session.destroy();
  });
});
