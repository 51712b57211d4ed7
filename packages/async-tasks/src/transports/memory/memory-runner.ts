import type { ChatMessage, ConversationPage, CreateTaskInput, SendChatResult, TaskError, TaskSnapshot } from '../../contract/index.js';
import type { ConversationPageOptions } from '../transport.js';

/** How the memory transport's fake worker behaves. Every delay is in ms. */
export interface MemoryRunnerOptions {
  /** Status messages shown while a reply is made. */
  steps?: string[];
  /** Delay before each status step. Default 600. */
  stepDelayMs?: number;
  /** Delay after the last step until the reply. Default 900. */
  replyDelayMs?: number;
  /** The assistant's answer to a user message; a list of strings is streamed as those chunks. */
  reply?: (text: string, history: ChatMessage[]) => string | string[] | Promise<string | string[]>;
  /**
   * Stream each reply in chunks of this many characters, as `partialText` (and `output` events),
   * before it is stored. Default 0: a reply given as one string arrives whole.
   */
  streamChunkChars?: number;
  /** Delay between two streamed chunks. Default 50. */
  streamChunkDelayMs?: number;
  /** The result of a generic (non-chat) task, by kind. Default: `{ echo: input }`. */
  handlers?: Record<string, (input: unknown) => unknown>;
}

interface Hooks {
  taskChanged(task: TaskSnapshot): void;
  messageAdded(message: ChatMessage): void;
}

/** One attempt made to fail: how, and after how much streamed text (0: before any). */
interface Failure {
  error: Partial<TaskError>;
  afterChars: number;
}

/** `text` in chunks of `size` characters; none when `size` is 0 (not streamed). */
const split = (text: string, size: number) => (size > 0 && text.match(new RegExp(`[^]{1,${size}}`, 'g'))) || [];

export const DEFAULT_STEPS = ['Reading the conversation…', 'AI is thinking…'];
const defaultReply = (text: string) => `You said: “${text}”. (Demo reply from the in-memory transport.)`;

/** The fake server's state and worker; used only by `createMemoryTransport`. */
export function createMemoryRunner(options: MemoryRunnerOptions, hooks: Hooks) {
  const {
    steps = DEFAULT_STEPS,
    stepDelayMs = 600,
    replyDelayMs = 900,
    reply = defaultReply,
    handlers = {},
    streamChunkChars = 0,
    streamChunkDelayMs = 50,
  } = options;
  const tasks = new Map<string, TaskSnapshot>();
  const messages: ChatMessage[] = [];
  const conversations = new Set<string>();
  const running = new Set<Promise<void>>();
  const taskInputs = new Map<string, unknown>();
  let seq = 0;
  let failures: Failure[] = [];

  const wakers = new Map<string, () => void>();

  const now = () => new Date().toISOString();
  // A task's worker sleeps between steps; a cancel request wakes it at once, as the server's runner
  // aborts the attempt as soon as it sees the request (not at the next step).
  const sleep = (id: string, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(wake, ms);
      function wake() {
        clearTimeout(timer);
        wakers.delete(id);
        resolve();
      }
      wakers.set(id, wake);
    });
  const update = (id: string, change: Partial<TaskSnapshot>) => {
    const prev = tasks.get(id)!;
    const next = { ...prev, ...change, version: prev.version + 1, updatedAt: now() };
    tasks.set(id, next);
    seq += 1;
    hooks.taskChanged(next);
    return next;
  };
  const addMessage = (conversationId: string, role: ChatMessage['role'], content: string, asyncTaskId: string | null) => {
    seq += 1;
    const message: ChatMessage = { id: crypto.randomUUID(), conversationId, role, content, asyncTaskId, createdAt: now(), seq };
    messages.push(message);
    hooks.messageAdded(message);
    return message;
  };
  const insertTask = (input: CreateTaskInput, conversationId: string | null) => {
    const at = now();
    const task: TaskSnapshot = {
      id: crypto.randomUUID(),
      kind: input.kind,
      conversationId,
      status: 'pending',
      statusMessage: null,
      partialText: null,
      result: null,
      error: null,
      attempt: 0,
      maxAttempts: input.maxAttempts ?? 3,
      cancelRequested: false,
      version: 1,
      createdAt: at,
      updatedAt: at,
      startedAt: null,
      finishedAt: null,
      nextAttemptAt: at,
      deadlineAt: null,
    };
    tasks.set(task.id, task);
    seq += 1;
    hooks.taskChanged(task);
    return task;
  };

  const stopped = (id: string) => {
    const task = tasks.get(id)!;
    if (!task.cancelRequested) return false;
    if (task.status !== 'cancelled') update(id, { status: 'cancelled', statusMessage: null, finishedAt: now() });
    return true;
  };
  const work = async (id: string): Promise<void> => {
    await sleep(id, stepDelayMs);
    if (stopped(id) || tasks.get(id)!.status !== 'pending') return;
    const first = tasks.get(id)!;
    update(id, { status: 'processing', attempt: first.attempt + 1, startedAt: now(), statusMessage: steps[0] ?? null });
    for (const step of steps.slice(1)) {
      await sleep(id, stepDelayMs);
      if (stopped(id)) return;
      update(id, { statusMessage: step });
    }
    await sleep(id, replyDelayMs);
    if (stopped(id)) return;
    const failure = failures.shift();
    const task = tasks.get(id)!;
    const conversationId = task.kind === 'chat.reply' ? task.conversationId : null;
    // A failure with `afterChars` happens mid-reply, once that much text is out; the others before any.
    if (failure && !(conversationId && failure.afterChars)) return fail(id, failure.error);
    if (conversationId) {
      const input = taskInputs.get(id) as { message_id: string } | undefined;
      const asked = messages.find((m) => m.id === input?.message_id);
      const history = messages.filter((m) => m.conversationId === conversationId);
      const answer = await reply(asked?.content ?? '', history);
      if (stopped(id)) return;
      const content = [answer].flat().join('');
      let written = '';
      for (const chunk of typeof answer === 'string' ? split(answer, streamChunkChars) : answer.filter(Boolean)) {
        if (failure && written.length >= failure.afterChars) break;
        if (written) await sleep(id, streamChunkDelayMs);
        if (stopped(id)) return; // a stopped reply keeps what it had written
        written += chunk;
        update(id, { partialText: written });
      }
      if (failure) return fail(id, failure.error);
      update(id, { status: 'completed', result: { content }, partialText: null, statusMessage: null, error: null, finishedAt: now() });
      addMessage(conversationId, 'assistant', content, id);
    } else {
      const result = await (handlers[task.kind] ?? ((input: unknown) => ({ echo: input })))(taskInputs.get(id));
      if (stopped(id)) return;
      update(id, { status: 'completed', result, statusMessage: null, error: null, finishedAt: now() });
    }
  };
  const fail = (id: string, change: Partial<TaskError>): Promise<void> | undefined => {
    const error: TaskError = { code: 'simulated_failure', message: 'The reply failed (simulated).', retryable: false, ...change };
    const { attempt, maxAttempts } = tasks.get(id)!;
    if (error.retryable && attempt < maxAttempts) {
      // Like the database's task_fail: back to pending with the error kept for the UI and the text
      // of this attempt dropped (the next one starts over), then again.
      const nextAttemptAt = new Date(Date.now() + stepDelayMs).toISOString();
      update(id, { status: 'pending', error, statusMessage: null, partialText: null, nextAttemptAt });
      return work(id);
    }
    // A failed reply keeps what it had written, as the database does.
    update(id, { status: 'failed', error, statusMessage: null, finishedAt: now() });
    return undefined;
  };
  const run = (id: string) => {
    const job = work(id).finally(() => running.delete(job));
    running.add(job);
  };

  return {
    task: (id: string) => tasks.get(id),
    hasConversation: (id: string) => conversations.has(id),
    messages: (conversationId: string) => messages.filter((m) => m.conversationId === conversationId),
    tasks: (conversationId: string) => [...tasks.values()].filter((t) => t.conversationId === conversationId),
    seedConversation(id: string, seed: Array<{ role: ChatMessage['role']; content: string }>) {
      conversations.add(id);
      for (const { role, content } of seed) addMessage(id, role, content, null);
    },
    createTask(input: CreateTaskInput) {
      const task = insertTask(input, null);
      taskInputs.set(task.id, input.input);
      run(task.id);
      return task;
    },
    sendChatMessage(conversationId: string | null, content: string): SendChatResult {
      const id = conversationId ?? crypto.randomUUID();
      conversations.add(id);
      const task = insertTask({ kind: 'chat.reply', input: null, idempotencyKey: '', maxAttempts: 3 }, id);
      const message = addMessage(id, 'user', content, task.id);
      taskInputs.set(task.id, { conversation_id: id, message_id: message.id });
      run(task.id);
      return { conversationId: id, message, task: tasks.get(task.id)! };
    },
    cancel(id: string) {
      const task = tasks.get(id)!;
      let next = task;
      if (task.status === 'pending') next = update(id, { status: 'cancelled', cancelRequested: true, finishedAt: now() });
      else if (task.status === 'processing' && !task.cancelRequested) next = update(id, { cancelRequested: true });
      wakers.get(id)?.(); // the worker sees the request now and stops
      return next;
    },
    retry(id: string) {
      const task = tasks.get(id)!;
      if (task.status !== 'failed') return task;
      const next = update(id, {
        status: 'pending',
        partialText: null, // a retry starts the reply over
        maxAttempts: Math.max(task.maxAttempts, task.attempt + 1),
        finishedAt: null,
        nextAttemptAt: now(),
      });
      run(id);
      return next;
    },
    page(conversationId: string, { before = null, limit = 50 }: ConversationPageOptions = {}): ConversationPage {
      const all = messages.filter((m) => m.conversationId === conversationId && (before == null || m.seq < before));
      const page = all.slice(Math.max(0, all.length - limit));
      const taskIds = new Set(page.map((m) => m.asyncTaskId));
      const pageTasks = [...tasks.values()].filter(
        (t) => t.conversationId === conversationId && (taskIds.has(t.id) || !['completed', 'failed', 'cancelled'].includes(t.status)),
      );
      return { conversationId, messages: page, tasks: pageTasks, nextBefore: page.length < all.length ? page[0]!.seq : null };
    },
    failNext(count: number, error: Partial<TaskError> = {}, { afterChars = 0 }: { afterChars?: number } = {}) {
      failures = failures.concat(Array.from({ length: count }, () => ({ error, afterChars })));
    },
    inspect: () => ({ tasks: [...tasks.values()], messages: [...messages] }),
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
