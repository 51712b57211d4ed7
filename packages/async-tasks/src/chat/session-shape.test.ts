import { afterAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../test/fixtures.js';
import { createTaskClient } from '../task/task-client.js';
import { createMemoryTransport } from '../transports/memory/memory-transport.js';
import { createChatSession } from './chat-session.js';
import { bindChatSession, chatSessionShape } from './session-shape.js';

describe('chatSessionShape', () => {
  const session = createChatSession({
    client: createTaskClient({ transport: createMemoryTransport() }),
    storage: memoryStorage(),
    BroadcastChannel: null,
  });
  afterAll(() => session.destroy());
  const kinds = (kind: 'store' | 'command') =>
    Object.entries(chatSessionShape)
      .filter(([, k]) => k === kind)
      .map(([name]) => name)
      .sort();

  it('lists every store and command a session has (destroy is the owner’s, not the UI’s)', () => {
    const members = Object.keys(session);
    expect(kinds('store')).toEqual(
      members
        .filter((k) => k.startsWith('$'))
        .map((k) => k.slice(1))
        .sort(),
    );
    expect(kinds('command')).toEqual(members.filter((k) => !k.startsWith('$') && k !== 'destroy').sort());
  });

  it('binds each store through the framework’s reader and hands the commands through', () => {
    const bound = bindChatSession(session, (store, serverValue) => ({ read: store.get(), serverValue }));
    expect(bound).toEqual({
      session,
      messages: { read: [], serverValue: [] },
      activeTask: { read: null, serverValue: null },
      connection: { read: 'live', serverValue: 'connecting' },
      conversationId: { read: null, serverValue: null },
      hasOlder: { read: false, serverValue: false },
      problem: { read: null, serverValue: null },
      conversations: { read: [], serverValue: [] },
      hasMoreConversations: { read: false, serverValue: false },
      conversationsLoading: { read: false, serverValue: false },
      send: session.send,
      stop: session.stop,
      retry: session.retry,
      loadOlder: session.loadOlder,
      reconnect: session.reconnect,
      regenerate: session.regenerate,
      edit: session.edit,
      sendFeedback: session.sendFeedback,
      setMetadata: session.setMetadata,
      loadConversations: session.loadConversations,
      loadMoreConversations: session.loadMoreConversations,
      switchConversation: session.switchConversation,
      newConversation: session.newConversation,
      createConversation: session.createConversation,
      renameConversation: session.renameConversation,
      deleteConversation: session.deleteConversation,
      upload: session.upload,
      uploadSettings: session.uploadSettings,
    });
  });
});
