import { type ComponentType, h, render } from 'preact';
import type { ChatWidgetProps } from '../widget/chat-widget-props.js';
import {
  ATTRIBUTES,
  type AttributeName,
  attributeText,
  PROPERTY_ATTRIBUTES,
  parseAttribute,
  propertyValue,
  propName,
  widgetProp,
} from './attributes.js';
import type { AsyncChatEventMap } from './element-types.js';

/** Object-valued props that are set as properties only (no attribute). */
const PROPERTIES = ['strings', 'themeVars', 'session', 'client'] as const;

/**
 * `HTMLElement` where there is one. On a server or an edge runtime there is none, and importing
 * the element must not throw there: the class is then defined over a stand-in and never registered.
 */
const ElementBase: typeof HTMLElement = typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

type ListenerOptions = boolean | AddEventListenerOptions;

/** Typed listeners for the element's own events (overloads only, no members). */
export interface ChatElementBase {
  addEventListener<K extends keyof AsyncChatEventMap>(
    type: K,
    listener: (this: ChatElementBase, event: AsyncChatEventMap[K]) => unknown,
    options?: ListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: ChatElementBase, event: HTMLElementEventMap[K]) => unknown,
    options?: ListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: ListenerOptions): void;
  removeEventListener<K extends keyof AsyncChatEventMap>(
    type: K,
    listener: (this: ChatElementBase, event: AsyncChatEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: ChatElementBase, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * Everything `<async-chat>` does, whichever widget component a subclass renders (`widget`): the
 * npm element renders `ChatWidget`; the script-tag bundle's renders one whose panel code loads
 * when needed. Attributes are parsed to typed props and string, number and boolean properties
 * are reflected to them (as on built-in elements); objects and lists are properties only. The
 * widget's callbacks become `CustomEvent`s that bubble out of the shadow root, and the visitor
 * opening or closing the panel is written back to `open`.
 *
 * @example
 * class MyChat extends ChatElementBase { protected static override widget = ChatWidget; }
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above adds listener overloads only.
export class ChatElementBase extends ElementBase {
  /** The component rendered into the shadow root, set by each subclass. */
  protected static widget: ComponentType<ChatWidgetProps>;
  static observedAttributes = Object.keys(ATTRIBUTES);
  declare serverUrl?: string;
  declare conversationId?: string;
  declare storageKey?: string;
  declare chatTitle?: string;
  declare subtitle?: string;
  declare avatarUrl?: string;
  declare mode?: ChatWidgetProps['mode'];
  declare theme?: ChatWidgetProps['theme'];
  declare position?: ChatWidgetProps['position'];
  declare locale?: string;
  declare welcome?: string | false;
  declare suggestions?: string[];
  declare allowImages: boolean;
  declare open: boolean;
  declare disableWhileBusy: boolean;
  declare styleNonce?: string;
  declare maxLength?: number;
  declare rememberOpen?: boolean;
  declare darkSelector?: string;
  declare unreadSound?: boolean;
  declare unreadTitle?: boolean;
  declare conversations?: boolean;
  declare metadata?: ChatWidgetProps['metadata'];
  declare attachments?: boolean;
  declare attachmentTypes?: string;
  declare strings?: ChatWidgetProps['strings'];
  declare themeVars?: ChatWidgetProps['themeVars'];
  declare session?: ChatWidgetProps['session'];
  declare client?: ChatWidgetProps['client'];
  /** The widget's props, by `ChatWidget` prop name. */
  #props: Record<string, unknown> = {};
  /** Set while a property writes its attribute, so the attribute does not set it again. */
  #reflecting = false;
  readonly #root: ShadowRoot;

  constructor() {
    super();
    // delegatesFocus: a click on the host or `el.focus()` moves focus inside (see `focus`).
    this.#root = this.attachShadow({ mode: 'open', delegatesFocus: true });
  }

  connectedCallback() {
    // Properties set before the element was upgraded are own data properties shadowing ours.
    for (const key of [...PROPERTIES, ...PROPERTY_ATTRIBUTES.map(propName)]) {
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
    if (this.#reflecting) return;
    this.#set(widgetProp(name), parseAttribute(name, value));
  }

  /**
   * Focuses the composer when the panel is shown, else what `delegatesFocus` picks first (the
   * launcher of a closed bubble).
   */
  override focus(options?: FocusOptions) {
    const composer = this.#root.querySelector('textarea');
    if (composer) composer.focus(options);
    else super.focus(options);
  }

  #set(key: string, value: unknown) {
    if (this.#props[key] === value) return;
    this.#props[key] = value;
    this.#render();
  }

  /** Writes a property's value to its attribute (nothing for lists). */
  #reflect(name: AttributeName, value: unknown) {
    const text = attributeText(name, value);
    if (text === undefined || this.getAttribute(name) === text) return;
    this.#reflecting = true;
    try {
      if (text === null) this.removeAttribute(name);
      else this.setAttribute(name, text);
    } finally {
      this.#reflecting = false;
    }
  }

  /** The visitor opened or closed the panel: `open` and its attribute follow, then the event. */
  #toggled(open: boolean) {
    this.#props.open = open;
    this.#reflect('open', open);
    this.#render();
    this.#emit(open ? 'open' : 'close');
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
      onOpen: () => this.#toggled(true),
      onClose: () => this.#toggled(false),
    };
    render(h((this.constructor as typeof ChatElementBase).widget, props), this.#root);
  }

  static {
    for (const key of PROPERTIES) {
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
    for (const name of PROPERTY_ATTRIBUTES) {
      const key = widgetProp(name);
      const boolean = ATTRIBUTES[name] === 'boolean';
      Object.defineProperty(ChatElementBase.prototype, propName(name), {
        configurable: true,
        get(this: ChatElementBase) {
          return boolean ? !!this.#props[key] : this.#props[key];
        },
        set(this: ChatElementBase, input: unknown) {
          const value = propertyValue(name, input);
          this.#reflect(name, value);
          this.#set(key, value);
        },
      });
    }
  }
}
