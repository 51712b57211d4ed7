import type { ChatWidgetProps } from './chat-widget-props.js';
import { ChatBody } from './ChatBody.js';
import { WidgetRoot } from './WidgetRoot.js';

export type { ChatWidgetProps } from './chat-widget-props.js';

/**
 * The chat widget: connects to a server (or uses the given session) and renders the conversation,
 * the live "AI is thinking…" status, errors with retry, and the composer.
 *
 * @example
 * <ChatWidget serverUrl="https://chat.example.com" title="Support" mode="bubble" />
 */
export function ChatWidget(props: ChatWidgetProps) {
  return <WidgetRoot {...props} body={ChatBody} />;
}
