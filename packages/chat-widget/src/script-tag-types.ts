// The types of the script-tag bundle (`@app/chat-widget/chat-widget.js`): `window.AsyncChat`
// and its options. The bundle itself is a classic script built from src/bundle/script-tag.ts.
export type { AsyncChatApi, AsyncChatInitOptions } from './bundle/script-tag-api.js';
