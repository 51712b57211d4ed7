import type { ChatMessage, ConversationSummary, MessageFeedback, TaskError, TaskSnapshot } from '../../contract/index.js';
import { HttpError } from '../../errors/http-error.js';
import { ConversationNotFoundError } from '../../errors/conversation-not-found-error.js';
import { NetworkError } from '../../errors/network-error.js';
import { TaskNotFoundError } from '../../errors/task-not-found-error.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { Unsubscribe } from '../../common/types.js';
import type { ConversationStreamEvent, TaskStreamEvent, Transport } from '../transport.js';
import { createMemoryRunner, type MemoryRunnerOptions } from './memory-runner.js';
import { carryOutput } from './output-events.js';

/**
 * Options of the in-process fake server. Every delay is in ms.
 *
 * @example
 * const options: MemoryTransportOptions = { stepDelayMs: 300, conversations: { c1: [{ role: 'user', content: 'Hi' }] } };
 */
export interface MemoryTransportOptions extends MemoryRunnerOptions {
  /** Delay of every command's answer, to show optimistic UI. Default 0. */
  latencyMs?: number;
  /** Start offline. Default true (online). */
  online?: boolean;
  /** Conversations that exist from the start: id → messages (oldest first). */
  conversations?: Record<string, Array<{ role: ChatMessage['role']; content: string }>>;
}

/**
 * The fake server's controls, beside the `Transport` methods.
 *
 * @example
 * const transport: MemoryTransport = createMemoryTransport();
 * transport.setOnline(false);
 */
export interface MemoryTransport extends Transport {
  /** Go offline (commands reject with NetworkError, streams say `offline` and miss events) or back. */
  setOnline(online: boolean): void;
  /**
   * Make the next `count` attempts fail with `error`. `retryable: true` sends the task back to
   * `pending` (error kept, text dropped) while attempts are left, as the server does; otherwise it
   * ends `failed`, keeping the text it had written. `afterChars`: a streamed reply fails once at
   * least that much of it is out (at the end of a chunk); default 0, before any text.
   */
  failNext(count?: number, error?: Partial<TaskError>, options?: { afterChars?: number }): void;
  /** Cut every stream as a network blip would: `reconnecting`, then a fresh snapshot and `live`. */
  dropConnections(): void;
  /** Every task, message and feedback the fake server holds. */
  inspect(): { tasks: TaskSnapshot[]; messages: ChatMessage[]; feedback: MessageFeedback[] };
  /** Resolves when no task is running any more. */
  settled(): Promise<void>;
}

/**
 * An in-process fake of the server, for tests and Storybook: chat replies go through the status
 * steps ("Reading the conversation…", "AI is thinking…") and then answer with `reply(text)`,
 * streamed in chunks with `streamChunkChars`. Like the server's streams, each of its streams sends
 * a reply's growth as an `output` event and any other change as a whole `task`.
 *
 * @example
 * const transport = createMemoryTransport({ stepDelayMs: 600, reply: (text) => `Echo: ${text}` });
 * const chat = createChatSession({ client: createTaskClient({ transport }) });
 * // from '@app/async-tasks/testing'
 */
export function createMemoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const { latencyMs = 0, conversations = {} } = options;
  let online = options.online ?? true;
  const taskListeners = new Map<string, Set<(event: TaskStreamEvent) => void>>();
  const conversationListeners = new Map<string, Set<(event: ConversationStreamEvent) => void>>();
  const onlineListeners = new Set<() => void>();
  const keys = new Map<string, unknown>();

  const emit = <E>(listeners: Set<(event: E) => void> | undefined, event: E) => {
    if (!online || !listeners) return; // offline streams miss events, as real ones do
    for (const listener of [...listeners]) queueMicrotask(() => listeners.has(listener) && listener(event));
  };
  const runner = createMemoryRunner(options, {
    taskChanged(task) {
      emit(taskListeners.get(task.id), { type: 'task', task });
      if (task.conversationId) emit(conversationListeners.get(task.conversationId), { type: 'task', task });
    },
    messageAdded(message) {
      emit(conversationListeners.get(message.conversationId), { type: 'message', message });
    },
  });
  for (const [id, messages] of Object.entries(conversations)) runner.seedConversation(id, messages);

  const command = async <T>(work: () => T): Promise<T> => {
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (!online) throw new NetworkError({ message: 'Offline (memory transport)', code: 'offline' });
    return work();
  };
  const idempotent = <T>(key: string, make: () => T): T => {
    if (!keys.has(key)) keys.set(key, make());
    return keys.get(key) as T;
  };
  const conversationNotFound = () => new ConversationNotFoundError({ message: 'conversation not found', code: 'not_found', status: 404 });
  const messageNotFound = () => new HttpError({ message: 'message not found', code: 'not_found', status: 404, retryable: false });
  const invalid = (message: string) => new ValidationError({ message, code: 'invalid_input', status: 400 });
  const checkContent = (raw: string) => {
    const content = raw.trim();
    if (content.length < 1 || content.length > 16000) throw invalid('A message has 1 to 16000 characters.');
    return content;
  };
  const checkMetadata = (metadata: unknown) => {
    if (metadata == null) return null;
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw invalid('metadata: expected a JSON object');
    if (JSON.stringify(metadata).length > 4096) {
      throw new HttpError({
        message: 'metadata is larger than 4096 bytes as JSON',
        code: 'payload_too_large',
        status: 413,
        retryable: false,
      });
    }
    return metadata as Record<string, never>;
  };
  const summary = (id: string): ConversationSummary => runner.list().find((c) => c.id === id)!;
  const question = (id: string) => {
    const found = runner.lastQuestion(id);
    if (found === 'not_found') throw messageNotFound();
    if (found === 'not_last') {
      throw new HttpError({
        message: 'only the last message of a conversation can be answered again',
        code: 'invalid_state',
        status: 409,
        retryable: false,
      });
    }
    return found;
  };
  const taskOrThrow = (id: string) => {
    const task = runner.task(id);
    if (!task) throw new TaskNotFoundError({ message: 'task not found', code: 'not_found', status: 404 });
    return task;
  };

  const subscribe = <E extends TaskStreamEvent | ConversationStreamEvent>(
    map: Map<string, Set<(event: E) => void>>,
    id: string,
    listener: (event: E) => void,
    snapshot: () => E | Error,
  ): Unsubscribe => {
    const set = map.get(id) ?? new Set();
    map.set(id, set);
    // What this stream has carried of each task decides whether a change goes out as an `output`.
    const sink = carryOutput(listener);
    set.add(sink);
    queueMicrotask(() => {
      if (!set.has(sink)) return;
      if (!online) return sink({ type: 'connection', connection: 'offline' } as E);
      const first = snapshot();
      if (first instanceof Error) return sink({ type: 'error', error: first } as E);
      sink(first);
      sink({ type: 'connection', connection: 'live' } as E);
    });
    return () => set.delete(sink);
  };
  const taskSnapshot = (id: string): TaskStreamEvent | Error => {
    const task = runner.task(id);
    return task ? { type: 'snapshot', task } : new TaskNotFoundError({ message: 'task not found', code: 'not_found', status: 404 });
  };
  const conversationSnapshot = (id: string): ConversationStreamEvent | Error =>
    runner.hasConversation(id)
      ? { type: 'snapshot', ...pick(runner.page(id), ['messages', 'tasks']) }
      : new ConversationNotFoundError({ message: 'conversation not found', code: 'not_found', status: 404 });
  const resubscribeAll = (connection: 'reconnecting' | 'offline') => {
    for (const [id, set] of taskListeners)
      for (const l of set) {
        l({ type: 'connection', connection });
        if (online) resend(set, l, taskSnapshot(id));
      }
    for (const [id, set] of conversationListeners)
      for (const l of set) {
        l({ type: 'connection', connection });
        if (online) resend(set, l, conversationSnapshot(id));
      }
  };
  const resend = <E>(set: Set<(event: E) => void>, listener: (event: E) => void, event: E | Error) => {
    setTimeout(() => {
      if (!set.has(listener) || !online) return;
      if (event instanceof Error) return listener({ type: 'error', error: event } as E);
      listener(event);
      listener({ type: 'connection', connection: 'live' } as E);
    }, 0);
  };

  return {
    createTask: (input) => command(() => idempotent(`task:${input.idempotencyKey}`, () => runner.createTask(input))),
    getTask: (id) => command(() => taskOrThrow(id)),
    cancelTask: (id) => command(() => runner.cancel(taskOrThrow(id).id)),
    retryTask: (id) => command(() => runner.retry(taskOrThrow(id).id)),
    subscribeTask: (id, listener) => subscribe(taskListeners, id, listener, () => taskSnapshot(id)),
    sendChatMessage: (input) =>
      command(() => {
        const content = checkContent(input.content);
        const metadata = checkMetadata(input.metadata);
        if (input.conversationId && !runner.hasConversation(input.conversationId)) throw conversationNotFound();
        return idempotent(`chat:${input.idempotencyKey}`, () => runner.sendChatMessage(input.conversationId ?? null, content, metadata));
      }),
    listConversations: ({ cursor = null, limit = 20 } = {}) =>
      command(() => {
        // The cursor is the offset here; the server's is opaque too.
        const all = runner.list();
        const from = cursor ? Number(cursor) : 0;
        const page = all.slice(from, from + limit);
        return { conversations: page, nextCursor: from + limit < all.length ? String(from + limit) : null };
      }),
    createConversation: ({ title = null } = {}) => command(() => summary(runner.createConversation(title?.trim() || null))),
    renameConversation: (id, { title }) =>
      command(() => {
        if (!runner.hasConversation(id)) throw conversationNotFound();
        if (title !== null && (title.trim().length === 0 || title.trim().length > 200))
          throw invalid('title: 1 to 200 characters, or null');
        runner.renameConversation(id, title?.trim() ?? null);
        return summary(id);
      }),
    deleteConversation: (id) =>
      command(() => {
        if (!runner.hasConversation(id)) throw conversationNotFound();
        runner.deleteConversation(id);
        for (const l of conversationListeners.get(id) ?? []) l({ type: 'error', error: conversationNotFound() });
        conversationListeners.delete(id);
        return { id, deleted: true as const };
      }),
    sendFeedback: (messageId, input) =>
      command(() => {
        const message = runner.message(messageId);
        if (!message) throw messageNotFound();
        if (message.role !== 'assistant') throw invalid('feedback is given on assistant messages');
        if (input.rating !== 'up' && input.rating !== 'down') throw invalid('rating: expected "up" or "down"');
        if ((input.comment?.length ?? 0) > 2000) throw invalid('comment: at most 2000 characters');
        return runner.setFeedback(message, input);
      }),
    regenerateReply: (messageId, { idempotencyKey }) =>
      command(() =>
        idempotent(`resend:${idempotencyKey}`, () => {
          const asked = question(messageId);
          const task = asked.asyncTaskId ? runner.task(asked.asyncTaskId) : undefined;
          if (task && (task.status === 'pending' || task.status === 'processing')) {
            throw new HttpError({
              message: 'the reply is still being written: stop it first',
              code: 'invalid_state',
              status: 409,
              retryable: false,
            });
          }
          return runner.resend(asked);
        }),
      ),
    editMessage: (messageId, input) =>
      command(() => {
        const content = checkContent(input.content);
        const metadata = checkMetadata(input.metadata);
        return idempotent(`resend:${input.idempotencyKey}`, () => runner.resend(question(messageId), { content, metadata }));
      }),
    getConversation: (id, pageOptions) =>
      command(() => {
        if (!runner.hasConversation(id))
          throw new ConversationNotFoundError({ message: 'conversation not found', code: 'not_found', status: 404 });
        return runner.page(id, pageOptions);
      }),
    subscribeConversation: (id, listener) => subscribe(conversationListeners, id, listener, () => conversationSnapshot(id)),
    isOnline: () => online,
    onOnline(listener) {
      onlineListeners.add(listener);
      return () => onlineListeners.delete(listener);
    },
    setOnline(next) {
      if (next === online) return;
      online = next;
      resubscribeAll(next ? 'reconnecting' : 'offline');
      if (next) for (const listener of [...onlineListeners]) listener();
    },
    failNext: (count = 1, error, failOptions) => runner.failNext(count, error, failOptions),
    dropConnections: () => resubscribeAll('reconnecting'),
    inspect: () => runner.inspect(),
    settled: () => runner.settled(),
  };
}

const pick = <T, K extends keyof T>(value: T, keys: K[]) => Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
