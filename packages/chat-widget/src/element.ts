import { defineAsyncChat } from './element/AsyncChatElement.js';
import { enableBuiltInHighlighter } from './markdown/highlight/enable.js';

// The custom element's public API; importing this module registers <async-chat>.
export { AsyncChatElement, defineAsyncChat } from './element/AsyncChatElement.js';
export type { MessageSentDetail, ReplyReceivedDetail, TaskFailedDetail } from './widget/events.js';
// The element's types for TypeScript, JSX and Vue templates (HTMLElementTagNameMap, React's
// IntrinsicElements, Vue's GlobalComponents): declared by importing this entry.
export type {
  AsyncChatAttributes,
  AsyncChatEventMap,
  AsyncChatJsxProps,
  AsyncChatProperties,
  AsyncChatVueProps,
} from './element/element-types.js';
export type {} from './element/framework-types.js';

defineAsyncChat();

// Code blocks in replies load the built-in highlighter, a chunk of its own, when one shows.
enableBuiltInHighlighter();
