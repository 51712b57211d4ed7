import type {
  ChatMessage,
  ChatMetadata,
  ConversationPage,
  ConversationSummary,
  CreateTaskInput,
  FeedbackInput,
  MessageFeedback,
  ResendResult,
  SendChatResult,
  TaskError,
  TaskSnapshot,
} from '../../contract/index.js';
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
  const conversations = new Map<string, { title: string | null; createdAt: string }>();
  const feedback = new Map<string, MessageFeedback>();
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
  const addMessage = (
    conversationId: string,
    role: ChatMessage['role'],
    content: string,
    asyncTaskId: string | null,
    metadata: ChatMetadata | null = null,
  ) => {
    seq += 1;
    const message: ChatMessage = {
      id: crypto.randomUUID(),
      conversationId,
      role,
      content,
      asyncTaskId,
      createdAt: now(),
      seq,
      metadata,
      replacedByTaskId: null,
    };
    const conversation = conversations.get(conversationId);
    // An empty conversation takes its title from its first message, as the database does.
    if (conversation && conversation.title === null && !messages.some((m) => m.conversationId === conversationId)) {
      conversation.title = content.slice(0, 80);
    }
    messages.push(message);
    hooks.messageAdded(message);
    return message;
  };
  /** A stored message changed (a regenerate or an edit): a new seq, sent again like the server's. */
  const changeMessage = (message: ChatMessage, change: Partial<ChatMessage>) => {
    seq += 1;
    const next = { ...message, ...change, seq };
    messages.splice(messages.indexOf(message), 1, next);
    hooks.messageAdded(next);
    return next;
  };
  const visible = (conversationId: string) =>
    messages.filter((m) => m.conversationId === conversationId && !m.replacedByTaskId).sort((a, b) => a.seq - b.seq);
  const insertTask = (input: CreateTaskInput, conversationId: string | null, replacesTaskId: string | null = null) => {
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
      replacesTaskId,
    };
    tasks.set(task.id, task);
    seq += 1;
    hooks.taskChanged(task);
    return task;
  };

  const stopped = (id: string) => {
    const task = tasks.get(id);
    if (!task) return true; // its conversation was deleted
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
      const history = visible(conversationId);
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
    message: (id: string) => messages.find((m) => m.id === id),
    messages: (conversationId: string) => messages.filter((m) => m.conversationId === conversationId),
    tasks: (conversationId: string) => [...tasks.values()].filter((t) => t.conversationId === conversationId),
    seedConversation(id: string, seed: Array<{ role: ChatMessage['role']; content: string }>) {
      conversations.set(id, { title: null, createdAt: now() });
      for (const { role, content } of seed) addMessage(id, role, content, null);
    },
    createTask(input: CreateTaskInput) {
      const task = insertTask(input, null);
      taskInputs.set(task.id, input.input);
      run(task.id);
      return task;
    },
    sendChatMessage(conversationId: string | null, content: string, metadata: ChatMetadata | null = null): SendChatResult {
      const id = conversationId ?? crypto.randomUUID();
      if (!conversations.has(id)) conversations.set(id, { title: null, createdAt: now() });
      const task = insertTask({ kind: 'chat.reply', input: null, idempotencyKey: '', maxAttempts: 3 }, id);
      const message = addMessage(id, 'user', content, task.id, metadata);
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
      const all = messages
        .filter((m) => m.conversationId === conversationId && (before == null || m.seq < before))
        .sort((a, b) => a.seq - b.seq);
      const page = all.slice(Math.max(0, all.length - limit));
      const taskIds = new Set(page.map((m) => m.asyncTaskId));
      const pageTasks = [...tasks.values()].filter(
        (t) => t.conversationId === conversationId && (taskIds.has(t.id) || !['completed', 'failed', 'cancelled'].includes(t.status)),
      );
      const pageFeedback = page.flatMap((m) => feedback.get(m.id) ?? []);
      return {
        conversationId,
        messages: page,
        tasks: pageTasks,
        nextBefore: page.length < all.length ? page[0]!.seq : null,
        feedback: pageFeedback,
      };
    },
    /** The last user message of its thread, or a reason why `id` is not (the server's 404 / 409). */
    lastQuestion(id: string): ChatMessage | 'not_found' | 'not_last' {
      const question = messages.find((m) => m.id === id && m.role === 'user' && !m.replacedByTaskId);
      if (!question) return 'not_found';
      return visible(question.conversationId).some((m) => m.role === 'user' && m.seq > question.seq) ? 'not_last' : question;
    },
    /** Regenerate (no `edit`) or edit the question: the new task, its question, and what left the thread. */
    resend(question: ChatMessage, edit?: { content: string; metadata: ChatMetadata | null }): ResendResult {
      const conversationId = question.conversationId;
      const old = question.asyncTaskId ? tasks.get(question.asyncTaskId) : undefined;
      if (old && (old.status === 'pending' || old.status === 'processing')) this.cancel(old.id);
      const task = insertTask({ kind: 'chat.reply', input: null, idempotencyKey: '', maxAttempts: 3 }, conversationId, old?.id ?? null);
      const replaced: ChatMessage[] = [];
      for (const m of visible(conversationId))
        if (m.role === 'assistant' && m.asyncTaskId === old?.id) replaced.push(changeMessage(m, { replacedByTaskId: task.id }));
      let message: ChatMessage;
      if (edit) {
        // A title made from the first message follows its edit, as the database's does.
        const conversation = conversations.get(conversationId);
        const first = visible(conversationId)[0]?.id === question.id;
        if (conversation && first && conversation.title === question.content.slice(0, 80)) conversation.title = edit.content.slice(0, 80);
        replaced.push(changeMessage(question, { replacedByTaskId: task.id }));
        message = addMessage(conversationId, 'user', edit.content, task.id, edit.metadata);
      } else {
        message = changeMessage(question, { asyncTaskId: task.id });
      }
      taskInputs.set(task.id, { conversation_id: conversationId, message_id: message.id });
      run(task.id);
      return { conversationId, message, task: tasks.get(task.id)!, replaced };
    },
    list(): ConversationSummary[] {
      return [...conversations.entries()]
        .map(([id, c]): ConversationSummary => {
          const last = visible(id).at(-1);
          return {
            id,
            title: c.title,
            createdAt: c.createdAt,
            lastActivityAt: last?.createdAt ?? c.createdAt,
            lastMessage: last ? { role: last.role, content: last.content.slice(0, 200), createdAt: last.createdAt } : null,
          };
        })
        .sort((a, b) => (a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : a.id < b.id ? 1 : -1));
    },
    createConversation(title: string | null): string {
      const id = crypto.randomUUID();
      conversations.set(id, { title, createdAt: now() });
      return id;
    },
    renameConversation(id: string, title: string | null) {
      conversations.get(id)!.title = title;
    },
    deleteConversation(id: string) {
      for (const t of tasks.values())
        if (t.conversationId === id && (t.status === 'pending' || t.status === 'processing')) this.cancel(t.id);
      conversations.delete(id);
      for (const m of messages.filter((m) => m.conversationId === id)) {
        messages.splice(messages.indexOf(m), 1);
        feedback.delete(m.id);
      }
      for (const t of [...tasks.values()]) if (t.conversationId === id) tasks.delete(t.id);
    },
    setFeedback(message: ChatMessage, input: FeedbackInput): MessageFeedback {
      const known = feedback.get(message.id);
      const at = now();
      const saved = {
        messageId: message.id,
        rating: input.rating,
        comment: input.comment ?? null,
        createdAt: known?.createdAt ?? at,
        updatedAt: at,
      };
      feedback.set(message.id, saved);
      return saved;
    },
    failNext(count: number, error: Partial<TaskError> = {}, { afterChars = 0 }: { afterChars?: number } = {}) {
      failures = failures.concat(Array.from({ length: count }, () => ({ error, afterChars })));
    },
    inspect: () => ({ tasks: [...tasks.values()], messages: [...messages], feedback: [...feedback.values()] }),
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
