import { h, render } from 'preact';
import { ChatWidget, type ChatWidgetProps } from '../widget/ChatWidget.js';
import { ATTRIBUTES, parseAttribute, propName, type AttributeName } from './attributes.js';

/** Object-valued props that are set as properties only (no attribute). */
const PROPERTIES = ['strings', 'themeVars', 'session', 'client'] as const;

/**
 * `<async-chat>`: the chat widget in a shadow root. Attributes are parsed to typed props
 * (`open`, `allow-images` booleans; `suggestions` a list), objects (`strings`, `themeVars`,
 * `session`, `client`) are properties. Fires `message-sent`, `reply-received`, `task-failed`,
 * `open` and `close` as `CustomEvent`s that bubble out of the shadow root.
 *
 * @example
 * <async-chat server-url="https://chat.example.com" title="Support" open></async-chat>
 */
export class AsyncChatElement extends HTMLElement {
  static observedAttributes = Object.keys(ATTRIBUTES);
  declare serverUrl?: string;
  declare conversationId?: string;
  declare title: string;
  declare subtitle?: string;
  declare avatarUrl?: string;
  declare mode?: ChatWidgetProps['mode'];
  declare theme?: ChatWidgetProps['theme'];
  declare position?: ChatWidgetProps['position'];
  declare locale?: string;
  declare welcome?: string | false;
  declare suggestions?: string[];
  declare allowImages?: boolean;
  declare open?: boolean;
  declare disableWhileBusy?: boolean;
  declare styleNonce?: string;
  declare maxLength?: number;
  declare strings?: ChatWidgetProps['strings'];
  declare themeVars?: ChatWidgetProps['themeVars'];
  declare session?: ChatWidgetProps['session'];
  declare client?: ChatWidgetProps['client'];
  #props: Record<string, unknown> = {};
  readonly #root: ShadowRoot;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback() {
    // Properties set before the element was upgraded are own data properties shadowing ours.
    for (const key of [...PROPERTIES, ...Object.keys(ATTRIBUTES).map(propName)]) {
      if (Object.hasOwn(this, key)) {
        const value = (this as Record<string, unknown>)[key];
        delete (this as Record<string, unknown>)[key];
        (this as Record<string, unknown>)[key] = value;
      }
    }
    this.#render();
  }

  disconnectedCallback() {
    render(null, this.#root);
  }

  attributeChangedCallback(name: AttributeName, _old: string | null, value: string | null) {
    this.#set(propName(name), parseAttribute(name, value));
  }

  #set(key: string, value: unknown) {
    if (this.#props[key] === value) return;
    this.#props[key] = value;
    this.#render();
  }

  #emit(type: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #render() {
    if (!this.isConnected) return;
    const props: ChatWidgetProps = {
      ...(this.#props as ChatWidgetProps),
      onMessageSent: (d) => this.#emit('message-sent', d),
      onReplyReceived: (d) => this.#emit('reply-received', d),
      onTaskFailed: (d) => this.#emit('task-failed', d),
      onOpen: () => this.#emit('open'),
      onClose: () => this.#emit('close'),
    };
    render(h(ChatWidget, props), this.#root);
  }

  static {
    for (const key of [...PROPERTIES, ...Object.keys(ATTRIBUTES).map(propName)]) {
      Object.defineProperty(AsyncChatElement.prototype, key, {
        configurable: true,
        get(this: AsyncChatElement) {
          return this.#props[key];
        },
        set(this: AsyncChatElement, value: unknown) {
          this.#set(key, value);
        },
      });
    }
  }
}

/**
 * Registers `<async-chat>` (or another tag name) once.
 *
 * @example
 * defineAsyncChat(); document.body.append(document.createElement('async-chat'));
 */
export function defineAsyncChat(tagName = 'async-chat'): typeof AsyncChatElement {
  const existing = customElements.get(tagName);
  if (existing) return existing as typeof AsyncChatElement;
  // A constructor can be registered once: other tag names get their own subclass.
  const element = tagName === 'async-chat' ? AsyncChatElement : class extends AsyncChatElement {};
  customElements.define(tagName, element);
  return element;
}
