import type { ChatElementBase } from '../element/ChatElementBase.js';
import type { ChatWidgetProps } from '../widget/chat-widget-props.js';

/**
 * Options of `AsyncChat.init`: every ChatWidget prop, plus where to mount. `title` and `dir` are
 * the chat's title and direction (set on the element as `chatTitle` and its own `dir`).
 *
 * @example
 * const options: AsyncChatInitOptions = { serverUrl: 'https://chat.example.com', mode: 'inline', target: '#help' };
 */
export type AsyncChatInitOptions = Omit<ChatWidgetProps, 'onMessageSent' | 'onReplyReceived' | 'onTaskFailed' | 'onOpen' | 'onClose'> & {
  /** Element to mount into (inline mode); default: the end of `<body>`. */
  target?: Element | string;
};

/**
 * The script tag's public API, `window.AsyncChat`.
 *
 * @example
 * const chat = window.AsyncChat.init({ title: 'Support' });
 * chat.addEventListener('reply-received', (e) => console.log(e.detail.message.content));
 */
export interface AsyncChatApi {
  /** Mounts the chat (replacing one mounted before) and returns its `<async-chat>` element. */
  init(options?: AsyncChatInitOptions): ChatElementBase;
  /** Removes the mounted chat and closes its connection. */
  destroy(): void;
  /** The bundle's version. */
  version: string;
}

declare global {
  interface Window {
    /** Set by the script-tag bundle (`chat-widget.js`) when it loads. */
    AsyncChat: AsyncChatApi;
  }
}
