import { installScriptTag } from './install-script-tag.js';
import { defineLazyAsyncChat } from './lazy-element.js';

// The script-tag bundle's first chunk (dist/chat-widget.js): `window.AsyncChat`, the element and
// the launcher; the panel comes from dist/chat-widget-panel.js when needed (panel-chunk.ts).
// This module exports nothing.
installScriptTag(defineLazyAsyncChat);
