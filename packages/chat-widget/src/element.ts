import { defineAsyncChat } from './element/AsyncChatElement.js';
import { enableBuiltInHighlighter } from './markdown/highlight/enable.js';

// The custom element's public API; importing this module registers <async-chat>.
export { AsyncChatElement, defineAsyncChat } from './element/AsyncChatElement.js';
export type { MessageSentDetail, ReplyReceivedDetail, TaskFailedDetail } from './widget/events.js';

defineAsyncChat();

// Code blocks in replies load the built-in highlighter, a chunk of its own, when one shows.
enableBuiltInHighlighter();
