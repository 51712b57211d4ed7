import type { BackoffOptions } from './backoff.js';
import { openEventStream } from './event-stream.js';
import { createAuth, type GetToken } from './http-auth.js';
import { resolveEnvironment, type HttpEnvironment } from './http-environment.js';
import { requestJson, type RequestContext } from './http-request.js';
import type { SseEvent } from './sse-parser.js';
import type { ConversationStreamEvent, TaskStreamEvent, Transport } from './transport.js';
import type { ChatMessage, ConversationPage, SendChatResult, TaskSnapshot } from './types.js';

export interface HttpTransportOptions extends HttpEnvironment {
  /** The server's origin (and path prefix, if any); `''` means the page's own origin. */
  baseUrl: string;
  /** Use the host's token (e.g. Supabase's) instead of an anonymous session. */
  getToken?: GetToken;
  /** Reconnect and retry delays. Default: base 500 ms, cap 30 s. */
  backoff?: BackoffOptions;
  /** Further attempts of a command after a network error or 5xx. Default 2. */
  commandRetries?: number;
  /** A stream silent this long is considered dead (the server sends a keep-alive every 15 s). Default 45 s. */
  idleTimeoutMs?: number;
}

/** The HTTP transport plus access to its session. */
export interface HttpTransport extends Transport {
  /** The anonymous user's id, once a session exists (null with `getToken`). */
  userId(): string | null;
  /** Forget the stored anonymous session. */
  signOut(): void;
}

/**
 * The transport for the reference server (contracts.md §2): fetch for commands, server-sent
 * events for live updates.
 *
 * @example
 * const transport = createHttpTransport({ baseUrl: 'https://chat.example.com' });
 * const client = createTaskClient({ transport });
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const { getToken, backoff = {}, commandRetries = 2, idleTimeoutMs = 45_000 } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const env = resolveEnvironment(options);
  const auth = createAuth({ baseUrl, env, getToken });
  const ctx: RequestContext = { baseUrl, env, auth, retries: commandRetries, backoff };
  const enc = encodeURIComponent;

  const stream = <E>(path: string, resource: 'task' | 'conversation', listener: (event: E) => void, map: (e: SseEvent) => E | null) =>
    openEventStream(ctx, {
      path,
      resource,
      idleTimeoutMs,
      onEvent(event) {
        let mapped: E | null = null;
        try {
          mapped = map(event);
        } catch {
          return; // a malformed event must not kill the stream; the next snapshot repairs the state
        }
        if (mapped) listener(mapped);
      },
      onConnection: (connection) => listener({ type: 'connection', connection } as E),
      onFatal: (error) => listener({ type: 'error', error } as E),
    });

  return {
    createTask: (input) => requestJson<TaskSnapshot>(ctx, 'POST', '/api/tasks', { body: input }),
    getTask: (id) => requestJson<TaskSnapshot>(ctx, 'GET', `/api/tasks/${enc(id)}`, { resource: 'task' }),
    cancelTask: (id) => requestJson<TaskSnapshot>(ctx, 'POST', `/api/tasks/${enc(id)}/cancel`, { body: {}, resource: 'task' }),
    retryTask: (id) => requestJson<TaskSnapshot>(ctx, 'POST', `/api/tasks/${enc(id)}/retry`, { body: {}, resource: 'task' }),
    subscribeTask: (id, listener) =>
      stream<TaskStreamEvent>(`/api/tasks/${enc(id)}/stream`, 'task', listener, (e) =>
        e.type === 'snapshot' || e.type === 'task' ? { type: e.type, task: JSON.parse(e.data) as TaskSnapshot } : null,
      ),

    sendChatMessage: ({ conversationId, content, idempotencyKey }) =>
      requestJson<SendChatResult>(ctx, 'POST', '/api/chat/send', {
        body: { ...(conversationId ? { conversationId } : {}), content, idempotencyKey },
        resource: 'conversation',
      }),
    getConversation: (id, { before, limit } = {}) => {
      const query = new URLSearchParams();
      if (before != null) query.set('before', String(before));
      if (limit != null) query.set('limit', String(limit));
      const qs = query.toString() ? `?${query}` : '';
      return requestJson<ConversationPage>(ctx, 'GET', `/api/conversations/${enc(id)}${qs}`, { resource: 'conversation' });
    },
    subscribeConversation: (id, listener) =>
      stream<ConversationStreamEvent>(`/api/conversations/${enc(id)}/stream`, 'conversation', listener, (e) => {
        if (e.type === 'snapshot') {
          const data = JSON.parse(e.data) as { messages?: ChatMessage[]; tasks?: TaskSnapshot[] };
          return { type: 'snapshot', messages: data.messages ?? [], tasks: data.tasks ?? [] };
        }
        if (e.type === 'task') return { type: 'task', task: JSON.parse(e.data) as TaskSnapshot };
        if (e.type === 'message') return { type: 'message', message: JSON.parse(e.data) as ChatMessage };
        return null;
      }),

    isOnline: env.isOnline,
    onOnline: (listener) => env.onConnectivity('online', listener),
    userId: auth.userId,
    signOut: auth.clear,
  };
}
