import { ChatBubble } from './chat-bubble';
import { chatServerUrl } from './chat-server';

/** A server-rendered marketing page with the chat bubble (a client component) in the corner. */
export default async function WidgetPage() {
  return (
    <main>
      <h1>Plants that forgive you</h1>
      <p>Questions about watering, light or delivery? Ask our assistant: the bubble in the corner.</p>
      <section>
        <h2>Care</h2>
        <p>Most of our plants like bright, indirect light and a drink once a week.</p>
      </section>
      <ChatBubble serverUrl={await chatServerUrl()} />
    </main>
  );
}
