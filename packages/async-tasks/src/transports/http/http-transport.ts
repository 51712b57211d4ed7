import type { ChatMessage, ConversationPage, SendChatResult, TaskSnapshot } from '../../contract/index.js';
import type { ResourceKind } from '../../errors/error-from-response.js';
import type { BackoffOptions } from '../../common/backoff.js';
import type { ConversationStreamEvent, TaskStreamEvent, Transport } from '../transport.js';
import { createTokenSource, type GetToken } from './anonymous-session.js';
import { createAuthorizedFetch } from './authorized-fetch.js';
import { createServerFetch } from './server-fetch.js';
import { type HttpEnvironment, resolveEnvironment } from './environment.js';
import { openEventStream } from './event-stream.js';
import { type RequestContext, requestJson } from './request-json.js';
import { resolveMessage } from './attachment-urls.js';
import { createUploader } from './upload-request.js';

/**
 * Options of `createHttpTransport`.
 *
 * @example
 * const options: HttpTransportOptions = { baseUrl: 'https://chat.example.com', commandRetries: 3, backoff: { capMs: 10_000 } };
 */
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

/**
 * The HTTP transport (the `Transport` interface; nothing more for now).
 *
 * @example
 * const transport: HttpTransport = createHttpTransport({ baseUrl: '' });
 */
export type HttpTransport = Transport;

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
  const request = createServerFetch(baseUrl, env);
  const tokens = createTokenSource({ baseUrl, env, request, getToken });
  const fetch = createAuthorizedFetch(request, tokens);
  const ctx: RequestContext = { env, fetch, retries: commandRetries, backoff };
  const command = <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, resource: ResourceKind, body?: unknown) =>
    requestJson<T>(ctx, method, path, resource, body);
  const task = (id: string, action = '') => `/api/tasks/${encodeURIComponent(id)}${action}`;
  const conversation = (id: string, action = '') => `/api/conversations/${encodeURIComponent(id)}${action}`;
  const message = (id: string, action: string) => `/api/messages/${encodeURIComponent(id)}${action}`;
  // The open streams' "reconnect now", for `reconnect()`.
  const retryNow = new Set<() => void>();
  const onRetryNow = (listener: () => void) => {
    retryNow.add(listener);
    return () => {
      retryNow.delete(listener);
    };
  };

  // SSE `snapshot` / `task` / `message` / `output` events become stream events of the same type,
  // the data under the name of what it is (a task stream's snapshot is a task).
  const stream = <E>(path: string, resource: 'task' | 'conversation', listener: (event: E) => void) =>
    openEventStream(ctx, {
      path,
      resource,
      idleTimeoutMs,
      onRetryNow,
      onEvent({ type, data }) {
        const key = type === 'snapshot' ? 'task' : type;
        if (key !== 'task' && key !== 'message' && key !== 'output') return;
        let value: { messages?: ChatMessage[]; tasks?: TaskSnapshot[] };
        try {
          value = JSON.parse(data);
        } catch {
          return; // a malformed event must not kill the stream; the next snapshot repairs the state
        }
        listener(
          (type === 'snapshot' && resource === 'conversation'
            ? { type, messages: (value.messages ?? []).map((m) => resolveMessage(baseUrl, m)), tasks: value.tasks ?? [] }
            : { type, [key]: key === 'message' ? resolveMessage(baseUrl, value as ChatMessage) : value }) as E,
        );
      },
      onConnection: (connection) => listener({ type: 'connection', connection } as E),
      onFatal: (error) => listener({ type: 'error', error } as E),
    });

  return {
    createTask: (input) => command('POST', '/api/tasks', 'other', input),
    getTask: (id) => command('GET', task(id), 'task'),
    cancelTask: (id) => command('POST', task(id, '/cancel'), 'task', {}),
    retryTask: (id) => command('POST', task(id, '/retry'), 'task', {}),
    subscribeTask: (id, listener) => stream<TaskStreamEvent>(task(id, '/stream'), 'task', listener),
    sendChatMessage: async ({ conversationId, content, idempotencyKey, metadata, attachmentIds }) => {
      // No conversation yet: the field is left out (JSON drops `undefined`) and the server starts one.
      const sent = await command<SendChatResult>('POST', '/api/chat/send', 'conversation', {
        conversationId: conversationId || undefined,
        content,
        idempotencyKey,
        metadata: metadata ?? undefined,
        attachmentIds: attachmentIds?.length ? attachmentIds : undefined,
      });
      return { ...sent, message: resolveMessage(baseUrl, sent.message) };
    },
    getConversation: async (id, { before, limit = 50 } = {}) => {
      const page = await command<ConversationPage>(
        'GET',
        conversation(id, `?limit=${limit}${before == null ? '' : `&before=${before}`}`),
        'conversation',
      );
      return { ...page, messages: page.messages.map((m) => resolveMessage(baseUrl, m)) };
    },
    uploadFile: createUploader(baseUrl, env, tokens),
    getUploadSettings: () => command('GET', '/api/uploads/settings', 'other'),
    subscribeConversation: (id, listener) => stream<ConversationStreamEvent>(conversation(id, '/stream'), 'conversation', listener),
    listConversations: ({ cursor, limit = 20 } = {}) =>
      command('GET', `/api/conversations?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'other'),
    createConversation: ({ title } = {}) => command('POST', '/api/conversations', 'other', title ? { title } : {}),
    renameConversation: (id, input) => command('PATCH', conversation(id), 'conversation', input),
    deleteConversation: (id) => command('DELETE', conversation(id), 'conversation'),
    sendFeedback: (id, input) => command('POST', message(id, '/feedback'), 'other', input),
    regenerateReply: (id, input) => command('POST', message(id, '/regenerate'), 'other', input),
    editMessage: (id, { metadata, ...input }) =>
      command('POST', message(id, '/edit'), 'other', { ...input, metadata: metadata ?? undefined }),
    isOnline: env.isOnline,
    onOnline: (listener) => env.onConnectivity('online', listener),
    reconnect: () => {
      for (const now of [...retryNow]) now();
    },
  };
}
