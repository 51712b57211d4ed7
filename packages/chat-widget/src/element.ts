import { defineAsyncChat } from './element/AsyncChatElement.js';

export { AsyncChatElement, defineAsyncChat } from './element/AsyncChatElement.js';
export { ATTRIBUTES, parseAttribute, type AttributeName } from './element/attributes.js';

defineAsyncChat();
