import { ATTRIBUTES } from '../element/attributes.js';
import { defineAsyncChat, type AsyncChatElement } from '../element/AsyncChatElement.js';
import type { ChatWidgetProps } from '../widget/ChatWidget.js';

// The script tag's public API is `window.AsyncChat` (init, destroy, version); this module exports nothing.

// Must run synchronously at the top level: document.currentScript is null later, and for
// `async` scripts it is only set during this first run.
const ownScript = (document.currentScript ?? document.querySelector('script[src*="chat-widget"]')) as HTMLScriptElement | null;

/** Options of `AsyncChat.init`: every ChatWidget prop, plus where to mount. */
type InitOptions = Omit<ChatWidgetProps, 'onMessageSent' | 'onReplyReceived' | 'onTaskFailed' | 'onOpen' | 'onClose'> & {
  /** Element to mount into (inline mode); default: the end of `<body>`. */
  target?: Element | string;
};

let current: AsyncChatElement | null = null;

/** The server origin: the `serverUrl` given, else the origin the script was loaded from. */
function defaultServerUrl(): string {
  try {
    if (ownScript?.src) return new URL(ownScript.src, location.href).origin;
  } catch {
    // fall through
  }
  return location.origin;
}

function mount(element: AsyncChatElement, target?: Element | string | null): AsyncChatElement {
  destroy();
  const parent = typeof target === 'string' ? document.querySelector(target) : target;
  (parent ?? document.body).appendChild(element);
  current = element;
  return element;
}

function create(): AsyncChatElement {
  defineAsyncChat();
  return document.createElement('async-chat') as AsyncChatElement;
}

/**
 * Mounts the chat (replacing one mounted before) and returns its `<async-chat>` element.
 *
 * @example
 * window.AsyncChat.init({ serverUrl: 'https://chat.example.com', title: 'Support' });
 */
function init(options: InitOptions = {}): AsyncChatElement {
  const { target, ...props } = options;
  const element = create();
  Object.assign(element, { ...props, serverUrl: props.serverUrl || defaultServerUrl() });
  return mount(element, target);
}

/** Removes the mounted chat and closes its connection. */
function destroy(): void {
  current?.remove();
  current = null;
}

/** Mounts from the script tag's `data-*` attributes, typed like the element's attributes. */
function autoMount() {
  if (!ownScript || ownScript.dataset.mount === 'manual') return;
  const element = create();
  element.serverUrl = defaultServerUrl();
  for (const name of Object.keys(ATTRIBUTES)) {
    const value = ownScript.getAttribute(`data-${name}`);
    // data-server-url="" means "where the script came from", the default set above.
    if (value !== null && (value || name !== 'server-url')) element.setAttribute(name, value);
  }
  mount(element, ownScript.dataset.target);
}

declare const __VERSION__: string;
const api = { init, destroy, version: __VERSION__ };
declare global {
  interface Window {
    AsyncChat: typeof api;
  }
}
window.AsyncChat = api;

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', autoMount, { once: true });
else autoMount();
