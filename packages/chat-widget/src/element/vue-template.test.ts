import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: Vue's full build (with the template compiler) has no declaration file of its own; its API is `vue`'s.
import * as vueWithCompiler from 'vue/dist/vue.esm-bundler.js';
import { fakeSession } from '../../test/fake-session.js';
import { type AsyncChatElement, defineAsyncChat } from './AsyncChatElement.js';

const { createApp, nextTick, ref } = vueWithCompiler as typeof import('vue');

defineAsyncChat();
afterEach(() => document.body.replaceChildren());

/** Mounts a Vue app from a template (runtime compiler, `<async-chat>` declared a custom element). */
function mount(template: string, setup: () => Record<string, unknown> = () => ({})) {
  const root = document.body.appendChild(document.createElement('div'));
  const app = createApp({ template, setup });
  app.config.compilerOptions.isCustomElement = (tag: string) => tag === 'async-chat';
  app.mount(root);
  const el = root.querySelector('async-chat') as AsyncChatElement;
  return { el, dialog: () => el.shadowRoot!.querySelector('[role=dialog]') };
}

describe('<async-chat> in a Vue template', () => {
  it('takes a bare boolean attribute (Vue sets the property to "") and bound values as properties', async () => {
    const session = fakeSession().session;
    const { el, dialog } = mount('<async-chat open chat-title="Vue" :session="session" :suggestions="[\'A?\', \'B?\']" />', () => ({
      session,
    }));
    expect(el.open).toBe(true);
    expect(el.hasAttribute('open')).toBe(true);
    expect(dialog()?.getAttribute('aria-label')).toBe('Vue');
    expect(el.suggestions).toEqual(['A?', 'B?']);
  });

  it('follows a bound open both ways with the visitor closing it in between', async () => {
    const session = fakeSession().session;
    const open = ref(true);
    const { el, dialog } = mount('<async-chat :open="open" :session="session" />', () => ({ open, session }));
    expect(dialog()).toBeTruthy();
    (el.shadowRoot!.querySelector('.acw-launcher') as HTMLButtonElement).click(); // the visitor closes it
    expect(el.open).toBe(false);
    expect(dialog()).toBeNull();
    open.value = false;
    await nextTick();
    open.value = true;
    await nextTick();
    expect(dialog()).toBeTruthy();
  });
});
