import { ChatWidget } from '../widget/ChatWidget.js';
import { ChatElementBase } from './ChatElementBase.js';

/**
 * `<async-chat>`: the chat widget in a shadow root. Attributes are parsed to typed props
 * (`open`, `allow-images` booleans; `suggestions` a list) and reflect their properties; objects
 * (`strings`, `themeVars`, `session`, `client`) are properties only. Fires `message-sent`, `reply-received`, `task-failed`,
 * `open` and `close` as `CustomEvent`s that bubble out of the shadow root.
 *
 * @example
 * <async-chat server-url="https://chat.example.com" chat-title="Support" open></async-chat>
 */
export class AsyncChatElement extends ChatElementBase {
  protected static override widget = ChatWidget;
}

/**
 * Registers `<async-chat>` (or another tag name) once.
 *
 * @example
 * defineAsyncChat(); document.body.append(document.createElement('async-chat'));
 */
export function defineAsyncChat(tagName = 'async-chat'): typeof AsyncChatElement {
  // On a server or an edge runtime: nothing to register; the browser registers it when it loads.
  if (typeof customElements === 'undefined') return AsyncChatElement;
  const existing = customElements.get(tagName);
  if (existing) return existing as typeof AsyncChatElement;
  // A constructor can be registered once: other tag names get their own subclass.
  const element = tagName === 'async-chat' ? AsyncChatElement : class extends AsyncChatElement {};
  customElements.define(tagName, element);
  return element;
}
