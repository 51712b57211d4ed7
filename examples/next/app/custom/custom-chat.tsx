'use client';

import type { ChatItem } from '@app/async-tasks';
import { createHttpTransport, createTaskClient } from '@app/async-tasks';
import { useAsyncChat } from '@app/async-tasks/react';
import { type FormEvent, type KeyboardEvent, useMemo, useState } from 'react';
import { Markdown } from './markdown';

const DELIVERY: Record<ChatItem['delivery'], string | null> = {
  sending: 'Sending…',
  queued: 'Waiting for the network',
  sent: null,
  failed: 'Not sent',
};

/**
 * A chat UI of our own on the SDK's React binding. On the server `useAsyncChat` renders the empty
 * state and starts nothing (no request, no timer); in the browser it connects after hydration.
 */
export function CustomChat({ serverUrl }: { serverUrl: string }) {
  const client = useMemo(() => createTaskClient({ transport: createHttpTransport({ baseUrl: serverUrl }) }), [serverUrl]);
  const chat = useAsyncChat({ client });
  const [draft, setDraft] = useState('');
  const task = chat.activeTask;
  const busy = task?.status === 'pending' || task?.status === 'processing';

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
    <section className="chat-card" aria-label="Chat with Acme Plants">
      {chat.connection === 'offline' && (
        <p className="chat-banner" role="status">
          You are offline. Messages wait here and go out when you are back.
        </p>
      )}
      <div className="chat-log" role="log" aria-label="Conversation">
        {chat.messages.map((m) => (
          <div key={m.id} className={`chat-msg chat-msg--${m.role}`}>
            <span className="chat-who">{m.role === 'user' ? 'You' : 'Assistant'}</span>
            {m.role === 'user' ? <span className="chat-text">{m.content}</span> : <Markdown text={m.content} />}
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
  );
}
