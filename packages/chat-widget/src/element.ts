import { defineAsyncChat } from './element/AsyncChatElement.js';

// The custom element's public API; importing this module registers <async-chat>.
export { AsyncChatElement, defineAsyncChat } from './element/AsyncChatElement.js';
export type { MessageSentDetail, ReplyReceivedDetail, TaskFailedDetail } from './widget/events.js';

defineAsyncChat();
