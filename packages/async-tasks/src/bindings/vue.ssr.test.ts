import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSSRApp, defineComponent, effectScope, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { watchServerSideEffects } from '../../test/server-side-effects.js';
import { createTaskClient, type TaskClient } from '../task/task-client.js';
import { createHttpTransport } from '../transports/http/http-transport.js';
import { useAsyncChat, useStore, useTask } from './vue.js';

// The defaults a page would use (global fetch, localStorage, BroadcastChannel), on a server.
const client = () => createTaskClient({ transport: createHttpTransport({ baseUrl: 'https://chat.example.com' }) });

const Page = defineComponent({
  props: { client: { type: Object as () => TaskClient, required: true } },
  setup(props) {
    // biome-ignore-start lint/correctness/useHookAtTopLevel: Vue composables, called in setup() as they should be
    const task = useTask(props.client, 't-1');
    const remembered = useAsyncChat({ client: props.client, conversationId: 'c-1' });
    const fresh = useAsyncChat({ client: props.client, storageKey: 'fresh' });
    const other = useStore(props.client.task('t-2'));
    // biome-ignore-end lint/correctness/useHookAtTopLevel: -
    return () =>
      h('ul', [
        h('li', `task ${task.value?.status} ${task.value?.connection} loaded=${task.value?.loaded}`),
        h(
          'li',
          `chat c-1 ${remembered.connection.value} ${remembered.messages.value.length} messages, task ${remembered.activeTask.value}, problem ${remembered.problem.value}`,
        ),
        h('li', `new chat ${fresh.connection.value} ${fresh.conversationId.value} older=${fresh.hasOlder.value}`),
        h('li', `store ${other.value.connection} loaded=${other.value.loaded}`),
      ]);
  },
});

describe('Vue bindings on the server (renderToString)', () => {
  let effects: ReturnType<typeof watchServerSideEffects>;
  beforeEach(() => {
    effects = watchServerSideEffects();
  });
  afterEach(() => effects.restore());

  it('render a session and a task that have not connected, and make no request, channel or timer', async () => {
    const html = await renderToString(createSSRApp(Page, { client: client() }));
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
    const first = await renderToString(createSSRApp(Page, { client: shared }));
    expect(await renderToString(createSSRApp(Page, { client: shared }))).toBe(first);
    await effects.settle();
    expect(effects.seen).toEqual([]);
  });

  it('follow no store outside a component when there is no window', async () => {
    const $task = client().task('t-3');
    const scope = effectScope();
    const task = scope.run(() => useStore($task))!;
    await effects.settle();
    expect(task.value).toMatchObject({ loaded: false, connection: 'connecting' });
    expect($task.lc).toBe(0); // no listener: the store never started
    expect(effects.seen).toEqual([]);
    scope.stop();
  });
});
