// @vitest-environment jsdom
import { act, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../../test/fixtures.js';
import { type ChatSession, createChatSession } from '../chat/chat-session.js';
import { createMemoryTransport } from '../transports/memory/memory-transport.js';
import { type AsyncChat, useAsyncChat, useTask } from './react.js';
import { createTaskClient, type TaskClient } from '../task/task-client.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let container: HTMLElement;
const render = async (element: React.ReactNode) => {
  container = document.body.appendChild(document.createElement('div'));
  root = createRoot(container);
  await act(async () => root!.render(element));
};
afterEach(async () => {
  await act(async () => root?.unmount());
  container.remove();
});

function Chat({ client }: { client: TaskClient }) {
  const chat = useAsyncChat({ client, storage: memoryStorage(), BroadcastChannel: null });
  return (
    <div>
      <ul>
        {chat.messages.map((m) => (
          <li key={m.id} data-delivery={m.delivery}>{`${m.role}: ${m.content}`}</li>
        ))}
      </ul>
      <p role="status">{chat.activeTask?.statusMessage ?? ''}</p>
      <button type="button" onClick={() => void chat.send('Hello React')}>
        send
      </button>
    </div>
  );
}

/** Shows what the hook returns to the test, which drives it from outside. */
function Probe({ use, seen }: { use: () => AsyncChat; seen: (chat: AsyncChat) => void }) {
  const chat = use();
  seen(chat);
  return <p>{chat.messages.map((m) => m.content).join('|')}</p>;
}

function TaskView({ client, id }: { client: TaskClient; id: string | null }) {
  const task = useTask(client, id);
  return <p>{task ? `${task.status}:${task.connection}` : 'no task'}</p>;
}

/** Assistant items keyed by their task, so one node shows a reply from its first words to its message. */
function StreamingChat({ client, seen }: { client: TaskClient; seen: (chat: AsyncChat) => void }) {
  const chat = useAsyncChat({ client, storage: memoryStorage(), BroadcastChannel: null });
  seen(chat);
  return (
    <ul>
      {chat.messages.map((m) => (
        <li key={(m.role === 'assistant' && m.taskId) || m.id} data-status={m.status}>{`${m.role}: ${m.content}`}</li>
      ))}
    </ul>
  );
}

describe('React bindings', () => {
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
      await render(<StreamingChat client={createTaskClient({ transport })} seen={(c) => (chat = c)} />);
      const shown = () => [...container.querySelectorAll('li')].map((li) => `${li.dataset.status} ${li.textContent}`);
      const tick = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
      await act(async () => chat!.send('Tell me'));
      await tick(30); // the status steps, then the first chunk
      expect(shown()).toEqual(['final user: Tell me', 'streaming assistant: Streams ']);
      const node = container.querySelectorAll('li')[1];
      await tick(100);
      expect(shown()).toEqual(['final user: Tell me', 'streaming assistant: Streams are nice']);
      await tick(100);
      expect(shown()).toEqual(['final user: Tell me', 'final assistant: Streams are nice.']);
      expect(container.querySelectorAll('li')[1]).toBe(node);
    } finally {
      vi.useRealTimers();
    }
  });

  it('useAsyncChat renders the optimistic message, the live status and the reply', async () => {
    const client = createTaskClient({
      transport: createMemoryTransport({ stepDelayMs: 150, replyDelayMs: 150, reply: (t) => `Echo ${t}` }),
    });
    await render(<Chat client={client} />);
    await act(async () => container.querySelector('button')!.click());
    expect(container.querySelector('li')!.textContent).toBe('user: Hello React');
    await vi.waitFor(() => expect(container.querySelector('[role=status]')!.textContent).toMatch(/Reading|thinking/), { interval: 10 });
    await vi.waitFor(() =>
      expect([...container.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
        'user: Hello React',
        'assistant: Echo Hello React',
      ]),
    );
    expect(container.querySelector('[role=status]')!.textContent).toBe('');
  });

  it('useTask follows a task and shows nothing for an empty id', async () => {
    const client = createTaskClient({ transport: createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5 }) });
    await render(<TaskView client={client} id={null} />);
    expect(container.textContent).toBe('no task');
    const task = await client.create('x', 1);
    await act(async () => root!.render(<TaskView client={client} id={task.id} />));
    await vi.waitFor(() => expect(container.textContent).toBe('completed:live'));
  });

  it('useAsyncChat survives StrictMode, and destroys the session it made when the component goes', async () => {
    const client = createTaskClient({ transport: createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5, reply: (t) => `Echo ${t}` }) });
    const options = { client, storage: memoryStorage(), BroadcastChannel: null };
    let chat: AsyncChat | undefined;
    await render(
      <StrictMode>
        <Probe use={() => useAsyncChat(options)} seen={(c) => (chat = c)} />
      </StrictMode>,
    );
    const session = chat!.session;
    const destroy = vi.spyOn(session, 'destroy');
    await act(async () => chat!.send('Hi'));
    await vi.waitFor(() => expect(container.textContent).toBe('Hi|Echo Hi'));
    expect(chat!.session).toBe(session);
    expect(destroy).not.toHaveBeenCalled();
    await act(async () => root!.unmount());
    root = null;
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('useAsyncChat leaves a session it was given alive after unmount', async () => {
    const transport = createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5 });
    const session: ChatSession = createChatSession({
      client: createTaskClient({ transport }),
      storage: memoryStorage(),
      BroadcastChannel: null,
    });
    const destroy = vi.spyOn(session, 'destroy');
    await render(<Probe use={() => useAsyncChat(session)} seen={() => {}} />);
    await act(async () => root!.unmount());
    root = null;
    await Promise.resolve();
    expect(destroy).not.toHaveBeenCalled();
    await session.send('still here');
    expect(transport.inspect().messages.map((m) => m.content)).toContain('still here');
    session.destroy();
  });
});
