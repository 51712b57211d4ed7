import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchServerSideEffects } from '../../test/server-side-effects.js';
import { createTaskClient, type TaskClient } from '../task/task-client.js';
import { createHttpTransport } from '../transports/http/http-transport.js';
import { useAsyncChat, useStore, useTask } from './react.js';

// The defaults a page would use (global fetch, localStorage, BroadcastChannel), on a server.
const client = () => createTaskClient({ transport: createHttpTransport({ baseUrl: 'https://chat.example.com' }) });

function Page({ client }: { client: TaskClient }) {
  const task = useTask(client, 't-1');
  const remembered = useAsyncChat({ client, conversationId: 'c-1' });
  const fresh = useAsyncChat({ client, storageKey: 'fresh' });
  const other = useStore(client.task('t-2'));
  return (
    <ul>
      <li>{`task ${task?.status} ${task?.connection} loaded=${task?.loaded}`}</li>
      <li>{`chat c-1 ${remembered.connection} ${remembered.messages.length} messages, task ${remembered.activeTask}, problem ${remembered.problem}`}</li>
      <li>{`new chat ${fresh.connection} ${fresh.conversationId} older=${fresh.hasOlder}`}</li>
      <li>{`store ${other.connection} loaded=${other.loaded}`}</li>
    </ul>
  );
}

describe('React bindings on the server (renderToString)', () => {
  let effects: ReturnType<typeof watchServerSideEffects>;
  beforeEach(() => {
    effects = watchServerSideEffects();
  });
  afterEach(() => effects.restore());

  it('render a session and a task that have not connected, and make no request, channel or timer', async () => {
    const html = renderToString(<Page client={client()} />);
    await effects.settle();
    expect(html).toBe(
      '<ul><li>task pending connecting loaded=false</li>' +
        '<li>chat c-1 connecting 0 messages, task null, problem null</li>' +
        '<li>new chat connecting null older=false</li>' +
        '<li>store connecting loaded=false</li></ul>',
    );
    expect(effects.seen).toEqual([]);
  });

  it('render the same for every request, with one client shared by all of them', async () => {
    const shared = client();
    const first = renderToString(<Page client={shared} />);
    expect(renderToString(<Page client={shared} />)).toBe(first);
    await effects.settle();
    expect(effects.seen).toEqual([]);
  });
});
