import runtime from 'virtual:panel-runtime';
import { ChatElementBase } from '../element/ChatElementBase.js';
import type { ChatWidgetProps } from '../widget/chat-widget-props.js';
import { WidgetRoot } from '../widget/WidgetRoot.js';
import { lazyBody } from './LazyBody.js';
import { besideOwnScript, ownScript } from './own-script.js';
import { createPanelChunk } from './panel-chunk-loader.js';

declare const __VERSION__: string;

/** The file name of the panel chunk, beside `chat-widget.js` (the build's second entry). */
export const PANEL_FILE = 'chat-widget-panel.js';

// The version in the query: a cache that still holds another version's panel is not asked for it.
const chunk = createPanelChunk({
  url: besideOwnScript(`${PANEL_FILE}?v=${__VERSION__}`),
  version: __VERSION__,
  runtime,
  nonce: ownScript?.nonce,
});
const LazyBody = lazyBody(chunk);

/** `ChatWidget` of the script-tag bundle: the launcher paints from this chunk, the panel's code comes later. */
function LazyChatWidget(props: ChatWidgetProps) {
  return <WidgetRoot {...props} body={LazyBody} onLauncherIntent={chunk.load} />;
}

/** `<async-chat>` of the script-tag bundle. */
class LazyAsyncChat extends ChatElementBase {
  protected static override widget = LazyChatWidget;
}

/**
 * Registers the script-tag bundle's `<async-chat>` unless the page has one already (the npm
 * element, or another copy of the bundle).
 *
 * @example
 * defineLazyAsyncChat(); document.body.append(document.createElement('async-chat'));
 */
export function defineLazyAsyncChat(): void {
  if (typeof customElements !== 'undefined' && !customElements.get('async-chat')) customElements.define('async-chat', LazyAsyncChat);
}
