import { type ComponentType, h, render } from 'preact';
import type { ChatWidgetProps } from '../widget/chat-widget-props.js';
import { ATTRIBUTES, parseAttribute, propName, type AttributeName } from './attributes.js';

/** Object-valued props that are set as properties only (no attribute). */
const PROPERTIES = ['strings', 'themeVars', 'session', 'client'] as const;

/**
 * Everything `<async-chat>` does, whichever widget component a subclass renders (`widget`): the
 * npm element renders `ChatWidget`; the script-tag bundle's renders one whose panel code loads
 * when needed. Attributes are parsed to typed props, objects are properties, and the widget's
 * callbacks become `CustomEvent`s that bubble out of the shadow root.
 *
 * @example
 * class MyChat extends ChatElementBase { protected static override widget = ChatWidget; }
 */
export class ChatElementBase extends HTMLElement {
  /** The component rendered into the shadow root, set by each subclass. */
  protected static widget: ComponentType<ChatWidgetProps>;
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
    render(h((this.constructor as typeof ChatElementBase).widget, props), this.#root);
  }

  static {
    for (const key of [...PROPERTIES, ...Object.keys(ATTRIBUTES).map(propName)]) {
      Object.defineProperty(ChatElementBase.prototype, key, {
        configurable: true,
        get(this: ChatElementBase) {
          return this.#props[key];
        },
        set(this: ChatElementBase, value: unknown) {
          this.#set(key, value);
        },
      });
    }
  }
}
