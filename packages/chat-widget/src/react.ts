// The React component for `<async-chat>` (`@app/chat-widget/react`), for React 18 and 19, in a
// client-rendered app and in a server-rendered one (Next.js, Remix). Importing it registers the
// element, as `@app/chat-widget/element` does: the call is here, in this entry's own module, so
// a bundler that honours `sideEffects` keeps it.
import { defineAsyncChat } from './element/AsyncChatElement.js';
import { enableBuiltInHighlighter } from './markdown/highlight/enable.js';

export type { AsyncChatElement } from './element/AsyncChatElement.js';
export type { AsyncChatEventMap } from './element/element-types.js';
export type {} from './element/framework-types.js';
export { AsyncChat, type AsyncChatProps } from './react/AsyncChat.js';

defineAsyncChat();
enableBuiltInHighlighter();
