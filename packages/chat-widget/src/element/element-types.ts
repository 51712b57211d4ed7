import type { ChatMode, ThemeMode } from '../types.js';
import type { MessageSentDetail, ReplyReceivedDetail, TaskFailedDetail } from '../widget/events.js';
import type { AsyncChatElement } from './AsyncChatElement.js';
import type { ATTRIBUTES, AttributeName } from './attributes.js';

/**
 * The events of `<async-chat>` and their `detail`: `element.addEventListener('reply-received', (e) => e.detail.message)`
 * is typed. `open` and `close` fire when the visitor opens or closes the panel (not when `open` is set).
 *
 * @example
 * chat.addEventListener('task-failed', (e) => report(e.detail.task.error?.code));
 */
export interface AsyncChatEventMap {
  'message-sent': CustomEvent<MessageSentDetail>;
  'reply-received': CustomEvent<ReplyReceivedDetail>;
  'task-failed': CustomEvent<TaskFailedDetail>;
  open: CustomEvent<undefined>;
  close: CustomEvent<undefined>;
}

type AttributeValue<T> = T extends 'boolean' ? boolean : T extends 'number' ? number | `${number}` : string;

/**
 * The attributes of `<async-chat>` with the values each takes, as HTML, JSX and server rendering
 * write them (`server-url`, `chat-title`, `open`).
 *
 * @example
 * const attrs: AsyncChatAttributes = { 'server-url': 'https://chat.example.com', mode: 'inline', open: true };
 */
export type AsyncChatAttributes = { [K in AttributeName]?: AttributeValue<(typeof ATTRIBUTES)[K]> } & {
  mode?: ChatMode;
  theme?: ThemeMode;
  position?: 'right' | 'left';
  dir?: 'ltr' | 'rtl' | 'auto';
};

/** The properties of `<async-chat>` a template or JSX may set (everything is optional). */
export type AsyncChatProperties = Partial<
  Pick<
    AsyncChatElement,
    | 'serverUrl'
    | 'conversationId'
    | 'storageKey'
    | 'chatTitle'
    | 'subtitle'
    | 'avatarUrl'
    | 'mode'
    | 'theme'
    | 'position'
    | 'locale'
    | 'welcome'
    | 'suggestions'
    | 'allowImages'
    | 'open'
    | 'disableWhileBusy'
    | 'styleNonce'
    | 'maxLength'
    | 'strings'
    | 'themeVars'
    | 'session'
    | 'client'
    | 'rememberOpen'
    | 'darkSelector'
    | 'unreadSound'
    | 'unreadTitle'
    | 'conversations'
    | 'metadata'
    | 'attachments'
    | 'attachmentTypes'
  >
>;

/**
 * `<async-chat>` in React 19 JSX: the attributes (primitives, so they also render on the server),
 * the object properties, and a listener per event as React 19 attaches them to custom elements
 * (`on` + the event's name: `onreply-received`). Structural types only, so the declaration
 * compiles without React's types installed.
 */
export type AsyncChatJsxProps = Omit<AsyncChatAttributes, 'suggestions'> &
  Pick<AsyncChatProperties, 'strings' | 'themeVars' | 'session' | 'client'> & {
    /** A list (property) or its `|`-separated text (attribute). */
    suggestions?: string | string[];
    'onmessage-sent'?: (event: AsyncChatEventMap['message-sent']) => void;
    'onreply-received'?: (event: AsyncChatEventMap['reply-received']) => void;
    'ontask-failed'?: (event: AsyncChatEventMap['task-failed']) => void;
    onopen?: (event: AsyncChatEventMap['open']) => void;
    onclose?: (event: AsyncChatEventMap['close']) => void;
    // A React callback ref may return nothing or a cleanup, as React's own `RefCallback`.
    // biome-ignore lint/suspicious/noConfusingVoidType: `void` accepts callbacks written without a return.
    ref?: { current: AsyncChatElement | null } | ((element: AsyncChatElement | null) => void | (() => void)) | null;
    id?: string;
    className?: string;
    style?: Record<string, string | number | undefined>;
    hidden?: boolean;
    slot?: string;
    title?: string;
    tabIndex?: number;
    children?: never;
  } & { [attribute: `data-${string}` | `aria-${string}`]: string | undefined };

/**
 * `<async-chat>` in Vue templates: properties (Vue sets a property the element has, else the
 * attribute; `server-url` and `serverUrl` both work) and `@message-sent`-style listeners.
 */
export type AsyncChatVueProps = AsyncChatProperties & {
  onMessageSent?: (event: AsyncChatEventMap['message-sent']) => void;
  onReplyReceived?: (event: AsyncChatEventMap['reply-received']) => void;
  onTaskFailed?: (event: AsyncChatEventMap['task-failed']) => void;
  onOpen?: (event: AsyncChatEventMap['open']) => void;
  onClose?: (event: AsyncChatEventMap['close']) => void;
};
