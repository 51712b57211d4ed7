import type { ChatItem, ChatSession, ConnectionState, TaskError, TaskState } from '@app/async-tasks';
import type { ConversationSummary } from '@app/async-tasks/contract';
import { atom } from 'nanostores';

/** A chat item with the fields a test does not care about filled in. */
export function item(fields: Pick<ChatItem, 'id' | 'role' | 'content'> & Partial<ChatItem>): ChatItem {
  return {
    createdAt: '2026-01-01T00:00:00.000Z',
    delivery: 'sent',
    taskId: null,
    error: null,
    status: 'final',
    feedback: null,
    canEdit: false,
    canRegenerate: false,
    ...fields,
  };
}

/** A chat session whose stores tests set by hand, recording the commands it was given. */
export function fakeSession(messages: ChatItem[] = []) {
  const calls: string[] = [];
  const record = (call: string) => async () => {
    calls.push(call);
  };
  const accepted =
    (call: string) =>
    async (...args: unknown[]) => {
      calls.push([call, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))].join(':'));
      return true;
    };
  const session = {
    $messages: atom<ChatItem[]>(messages),
    $activeTask: atom<TaskState | null>(null),
    $connection: atom<ConnectionState>('live'),
    $conversationId: atom<string | null>('c1'),
    $hasOlder: atom(false),
    $problem: atom<Error | null>(null),
    $conversations: atom<ConversationSummary[]>([]),
    $hasMoreConversations: atom(false),
    $conversationsLoading: atom(false),
    send: async (text: string, options?: { attachments?: { id: string }[] }) => {
      calls.push(`send:${text}${options?.attachments?.length ? `:${options.attachments.map((a) => a.id).join(',')}` : ''}`);
    },
    stop: record('stop'),
    retry: record('retry'),
    loadOlder: record('loadOlder'),
    reconnect: record('reconnect'),
    regenerate: accepted('regenerate'),
    edit: accepted('edit'),
    sendFeedback: accepted('feedback'),
    setMetadata: async (metadata) => {
      calls.push(`metadata:${JSON.stringify(metadata)}`);
    },
    loadConversations: record('loadConversations'),
    loadMoreConversations: record('loadMoreConversations'),
    switchConversation: async (id) => {
      calls.push(`switch:${id}`);
    },
    newConversation: record('newConversation'),
    createConversation: accepted('createConversation'),
    renameConversation: accepted('rename'),
    deleteConversation: accepted('delete'),
    upload: async (file: Blob, options?: { filename?: string }) => {
      const filename = options?.filename ?? ((file as { name?: string }).name || 'file');
      calls.push(`upload:${filename}`);
      return {
        id: `u-${filename}`,
        filename,
        mediaType: file.type || 'application/octet-stream',
        byteSize: file.size,
        width: null,
        height: null,
        url: `https://files.example/${encodeURIComponent(filename)}`,
        urlExpiresAt: '2026-01-01T01:00:00.000Z',
        inline: file.type.startsWith('image/'),
      };
    },
    uploadSettings: async () => null,
    destroy: () => {
      calls.push('destroy');
    },
  } satisfies ChatSession;
  return { session, calls };
}

/** The reply task of conversation `c1`, loaded, in the given state. */
export function task(status: TaskState['status'], statusMessage: string | null = null, error: TaskError | null = null): TaskState {
  return {
    id: 't1',
    kind: 'chat.reply',
    conversationId: 'c1',
    status,
    statusMessage,
    partialText: null,
    result: null,
    error,
    attempt: 1,
    maxAttempts: 3,
    cancelRequested: false,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    nextAttemptAt: null,
    deadlineAt: null,
    loaded: true,
    connection: 'live',
    problem: null,
  };
}
