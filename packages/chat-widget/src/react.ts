// The React component for `<async-chat>` (`@app/chat-widget/react`), for React 18 and 19, in a
// client-rendered app and in a server-rendered one (Next.js, Remix). Importing it registers the
// element, as `@app/chat-widget/element` does.
import './element.js';

export { AsyncChat, type AsyncChatProps } from './react/AsyncChat.js';
