'use client';

// A client component, and still rendered on the server first: importing the element there is
// safe (it registers <async-chat> only where customElements exists). The server's HTML has the
// <async-chat> tag with its attributes; the browser upgrades it when this module loads.
import { AsyncChat } from '@app/chat-widget/react';

const suggestions = ['How often should I water a fern?', 'Do you ship on Fridays?'];

/**
 * The chat bubble. `AsyncChat` rather than plain `<async-chat>` JSX: React 19 sets no properties
 * and no listeners on a custom element when it hydrates server HTML, so a list such as
 * `suggestions` and the callbacks would be lost; the component sets them once mounted.
 */
export function ChatBubble({ serverUrl }: { serverUrl: string }) {
  return (
    <AsyncChat
      serverUrl={serverUrl}
      chatTitle="Ask Acme Plants"
      subtitle="Replies come from a workflow"
      suggestions={suggestions}
      onReplyReceived={(event) => console.info('reply received', event.detail.message.id)}
    />
  );
}
