import type { ChatMessage, TaskError, TaskSnapshot } from '../../contract/index.js';
import { ConversationNotFoundError } from '../../errors/conversation-not-found-error.js';
import { NetworkError } from '../../errors/network-error.js';
import { TaskNotFoundError } from '../../errors/task-not-found-error.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { Unsubscribe } from '../../shared/types.js';
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
  /** Every task and message the fake server holds. */
  inspect(): { tasks: TaskSnapshot[]; messages: ChatMessage[] };
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
        const content = input.content.trim();
        if (content.length < 1 || content.length > 16000) {
          throw new ValidationError({ message: 'A message has 1 to 16000 characters.', code: 'invalid_content', status: 400 });
        }
        if (input.conversationId && !runner.hasConversation(input.conversationId)) {
          throw new ConversationNotFoundError({ message: 'conversation not found', code: 'not_found', status: 404 });
        }
        return idempotent(`chat:${input.idempotencyKey}`, () => runner.sendChatMessage(input.conversationId ?? null, content));
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
