import { ChatBody } from '../widget/ChatBody.js';
import { provide } from './panel-host.js';

// The script-tag bundle's panel chunk (dist/chat-widget-panel.js): the conversation, loaded by
// the first chunk (panel-chunk-loader.ts). Its Preact and the other shared modules are the first
// chunk's (build/panel-split.ts).
provide({ Body: ChatBody });
