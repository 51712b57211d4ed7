import { AsyncChat } from './AsyncChat';

/** A marketing-style page with the chat bubble in the corner. */
export function WidgetPage() {
  return (
    <main>
      <h1>Plants that forgive you</h1>
      <p>Questions about watering, light or delivery? Ask our assistant: the bubble in the corner.</p>
      <section>
        <h2>Care</h2>
        <p>Most of our plants like bright, indirect light and a drink once a week.</p>
        <button type="button">Shop plants</button>
      </section>
      <AsyncChat
        title="Ask Acme Plants"
        subtitle="Replies come from a workflow"
        suggestions={['How often should I water a fern?', 'Do you ship on Fridays?']}
        onReplyReceived={() => console.info('reply received')}
      />
    </main>
  );
}
