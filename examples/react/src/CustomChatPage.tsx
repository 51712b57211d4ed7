import { useAsyncChat } from '@app/async-tasks/react';
import type { ChatItem } from '@app/async-tasks';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { client } from './chat-client';
import { Markdown } from './Markdown';

const DELIVERY: Record<ChatItem['delivery'], string | null> = {
  sending: 'Sending…',
  queued: 'Waiting for the network',
  sent: null,
  failed: 'Not sent',
};

/**
 * A chat UI of our own, built with the headless SDK's `useAsyncChat`: messages, the reply's
 * live status, errors with Retry, Stop, and an offline notice. Replies are markdown, rendered by
 * the widget's renderer (`@app/chat-widget/markdown`); nothing else of the widget is on this page.
 */
export function CustomChatPage() {
  const chat = useAsyncChat({ client });
  const [draft, setDraft] = useState('');
  const task = chat.activeTask;
  const busy = task?.status === 'pending' || task?.status === 'processing';
  const offline = chat.connection === 'offline';

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!draft.trim()) return;
    void chat.send(draft);
    setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) submit(event);
  };

  return (
    <main className="custom-chat">
      <h1>Your own chat UI</h1>
      <p>
        This page uses <code>useAsyncChat</code> from <code>@app/async-tasks/react</code>, and <code>renderMarkdown</code> from{' '}
        <code>@app/chat-widget/markdown</code> for the replies.
      </p>
      <section className="chat-card" aria-label="Chat with Acme Plants">
        {offline && (
          <p className="chat-banner" role="status">
            You are offline. Messages wait here and go out when you are back.
          </p>
        )}
        <div className="chat-log" role="log" aria-label="Conversation">
          {chat.messages.map((m) => (
            <div key={m.id} className={`chat-msg chat-msg--${m.role}`}>
              <span className="chat-who">{m.role === 'user' ? 'You' : 'Assistant'}</span>
              {m.role === 'user' ? <span className="chat-text">{m.content}</span> : <Markdown className="chat-markdown" text={m.content} />}
              {m.role === 'user' && DELIVERY[m.delivery] && <span className="chat-delivery">{DELIVERY[m.delivery]}</span>}
            </div>
          ))}
        </div>
        {busy && (
          <div className="chat-status">
            <span role="status">{task.statusMessage ?? 'Waiting for the workflow…'}</span>
            <button type="button" onClick={() => void chat.stop()}>
              Stop
            </button>
          </div>
        )}
        {task?.status === 'failed' && (
          <div className="chat-error" role="alert">
            <span>The reply failed: {task.error?.message ?? 'unknown error'}</span>
            <button type="button" onClick={() => void chat.retry()}>
              Retry
            </button>
          </div>
        )}
        <form className="chat-composer" onSubmit={submit}>
          <label htmlFor="chat-input">Message</label>
          <textarea id="chat-input" rows={2} value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} />
          <button type="submit">Send</button>
        </form>
      </section>
    </main>
  );
}
