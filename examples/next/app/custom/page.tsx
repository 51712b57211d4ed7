import { chatServerUrl } from '../chat-server';
import { CustomChat } from './custom-chat';

export default async function CustomChatPage() {
  return (
    <main className="custom-chat">
      <h1>Your own chat UI</h1>
      <p>
        This page uses <code>useAsyncChat</code> from <code>@app/async-tasks/react</code> in a client component, and{' '}
        <code>renderMarkdown</code> from <code>@app/chat-widget/markdown</code> for the replies.
      </p>
      <CustomChat serverUrl={await chatServerUrl()} />
    </main>
  );
}
