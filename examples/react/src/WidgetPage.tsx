import '@app/chat-widget/element';

const suggestions = ['How often should I water a fern?', 'Do you ship on Fridays?'];

/**
 * A marketing-style page with the chat bubble in the corner: `<async-chat>` straight in JSX.
 * Importing the element entry registers it and types it for React 19 (attributes, properties
 * such as the `suggestions` list, and `on` + event name listeners), so no wrapper is needed.
 */
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
      <async-chat
        chat-title="Ask Acme Plants"
        subtitle="Replies come from a workflow"
        suggestions={suggestions}
        onreply-received={(event) => console.info('reply received', event.detail.message.id)}
      />
    </main>
  );
}
