import { ATTRIBUTES, DATA_ALIASES } from '../element/attributes.js';
import type { ChatElementBase } from '../element/ChatElementBase.js';
import { ownScript } from './own-script.js';
import type { AsyncChatInitOptions as InitOptions } from './script-tag-api.js';

declare const __VERSION__: string;

/**
 * Sets up `window.AsyncChat` (init, destroy, version) and mounts from the script tag's `data-*`
 * attributes unless `data-mount="manual"`. `define` registers the `<async-chat>` it mounts.
 *
 * @example
 * installScriptTag(defineLazyAsyncChat);
 */
export function installScriptTag(define: () => void): void {
  let current: ChatElementBase | null = null;

  /** The server origin: the `serverUrl` given, else the origin the script was loaded from. */
  const defaultServerUrl = (): string => {
    try {
      if (ownScript?.src) return new URL(ownScript.src, location.href).origin;
    } catch {
      // fall through
    }
    return location.origin;
  };

  const mount = (element: ChatElementBase, target?: Element | string | null): ChatElementBase => {
    destroy();
    const parent = typeof target === 'string' ? document.querySelector(target) : target;
    (parent ?? document.body).appendChild(element);
    current = element;
    return element;
  };

  const create = (): ChatElementBase => {
    define();
    return document.createElement('async-chat') as ChatElementBase;
  };

  /**
   * Mounts the chat (replacing one mounted before) and returns its `<async-chat>` element.
   *
   * @example
   * window.AsyncChat.init({ serverUrl: 'https://chat.example.com', title: 'Support' });
   */
  const init = (options: InitOptions = {}): ChatElementBase => {
    // `title` and `dir` are the chat's title and direction here; on the element, `title` would be
    // its tooltip, so the title goes to `chatTitle` (`dir` is the element's own `dir`).
    const { target, title, dir, ...props } = options;
    const element = create();
    Object.assign(element, { ...props, serverUrl: props.serverUrl || defaultServerUrl() });
    if (title !== undefined) element.chatTitle = title;
    if (dir !== undefined) element.dir = dir;
    return mount(element, target);
  };

  /** Removes the mounted chat and closes its connection. */
  function destroy(): void {
    current?.remove();
    current = null;
  }

  /** Mounts from the script tag's `data-*` attributes, typed like the element's attributes. */
  const autoMount = () => {
    if (!ownScript || ownScript.dataset.mount === 'manual') return;
    const element = create();
    element.serverUrl = defaultServerUrl();
    // `data-title` is the chat's title too; `data-chat-title` wins when both are there.
    for (const [name, current] of Object.entries(DATA_ALIASES)) {
      const value = ownScript.getAttribute(`data-${name}`);
      if (value !== null) element.setAttribute(current, value);
    }
    for (const name of Object.keys(ATTRIBUTES)) {
      const value = ownScript.getAttribute(`data-${name}`);
      // data-server-url="" means "where the script came from", the default set above.
      if (value !== null && (value || name !== 'server-url')) element.setAttribute(name, value);
    }
    mount(element, ownScript.dataset.target);
  };

  window.AsyncChat = { init, destroy, version: __VERSION__ };
  // <async-chat> elements in the page's own HTML come to life as the bundle loads, also with
  // data-mount="manual" (registering draws nothing while there is none on the page).
  define();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', autoMount, { once: true });
  else autoMount();
}
