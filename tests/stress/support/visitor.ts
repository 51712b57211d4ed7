import { createHttpTransport, createIdempotencyKey, type ConversationStreamEvent, type Transport } from '@app/async-tasks';
import { isTerminal, type TaskSnapshot } from '@app/async-tasks/contract';

type Snapshot = Pick<TaskSnapshot, 'id' | 'status' | 'updatedAt' | 'version' | 'error'>;

/** Every HTTP status the SDK saw, for the "zero 5xx" check (its retries would hide them otherwise). */
export interface StatusLog {
  counts: Map<number, number>;
  fiveXx: string[];
  networkErrors: number;
  /** Why fetch failed, by cause (e.g. ECONNRESET), for the report. */
  networkCauses: Map<string, number>;
}

export const statusLog = (): StatusLog => ({ counts: new Map(), fiveXx: [], networkErrors: 0, networkCauses: new Map() });

const causeOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
};

function countingFetch(log: StatusLog): typeof fetch {
  return async (input, init) => {
    try {
      const res = await fetch(input, init);
      log.counts.set(res.status, (log.counts.get(res.status) ?? 0) + 1);
      if (res.status >= 500) log.fiveXx.push(`${init?.method ?? 'GET'} ${String(input)} → ${res.status}`);
      return res;
    } catch (error) {
      log.networkErrors += 1;
      const cause = `${init?.method ?? 'GET'} ${causeOf(error)}`;
      log.networkCauses.set(cause, (log.networkCauses.get(cause) ?? 0) + 1);
      throw error;
    }
  };
}

export interface SentMessage {
  content: string;
  taskId: string;
  sentAt: number;
  /** When the send request was answered. */
  answeredAt: number;
  /** Whether the conversation's stream was already open when it was sent (not the first message). */
  streamWasOpen: boolean;
  /** First time the client saw the task past `pending` (snapshot or event). */
  firstStatusAt: number | null;
  terminal: string | null;
  terminalAt: number | null;
}

/**
 * One simulated visitor: an anonymous session and one conversation through the SDK's http
 * transport (fetch + SSE, as in a browser), recording what it observes and when.
 */
export class Visitor {
  readonly transport: Transport;
  readonly sent: SentMessage[] = [];
  conversationId: string | null = null;
  /** Sends that failed and were tried again. */
  sendRetries = 0;
  /** receive time − the row's updated_at, for every live `task` event (ms). */
  readonly eventLagMs: number[] = [];
  /** The newest state (highest version) the client saw of each task, e.g. after a retry. */
  readonly latest = new Map<string, Snapshot>();
  /** What the stream delivered, in order (time, type, ids): printed when a task was never seen to end. */
  readonly trace: string[] = [];
  private unsubscribe: (() => void) | null = null;
  private readonly seen = new Map<string, Array<{ task: Snapshot; at: number }>>();

  constructor(baseUrl: string, log: StatusLog) {
    const network = new EventTarget();
    this.transport = createHttpTransport({
      baseUrl,
      storage: null,
      connectivity: network,
      isOnline: () => true,
      visibility: null,
      fetch: countingFetch(log),
      backoff: { baseMs: 100, capMs: 2000 },
    });
  }

  /**
   * Sends one message. With `retries`, a failed send is tried again with the same idempotency
   * key (as the chat session's outbox does), so a retry can never make a second message.
   */
  async send(content: string, { retries = 0, retryDelayMs = 1000 } = {}): Promise<SentMessage> {
    const sentAt = performance.now();
    const streamWasOpen = this.unsubscribe !== null;
    const idempotencyKey = createIdempotencyKey();
    const attempt = async (left: number): Promise<Awaited<ReturnType<Transport['sendChatMessage']>>> => {
      try {
        return await this.transport.sendChatMessage({ conversationId: this.conversationId, content, idempotencyKey });
      } catch (error) {
        if (left <= 0) throw error;
        this.sendRetries += 1;
        await new Promise((r) => setTimeout(r, retryDelayMs));
        return attempt(left - 1);
      }
    };
    const result = await attempt(retries);
    const message: SentMessage = {
      content,
      taskId: result.task.id,
      sentAt,
      answeredAt: performance.now(),
      streamWasOpen,
      firstStatusAt: null,
      terminal: null,
      terminalAt: null,
    };
    this.sent.push(message);
    for (const early of this.seen.get(message.taskId) ?? []) this.observe(early.task, early.at);
    this.seen.delete(message.taskId);
    if (!this.conversationId) {
      this.conversationId = result.conversationId;
      this.unsubscribe = this.transport.subscribeConversation(result.conversationId, (event) => this.onEvent(event));
    }
    return message;
  }

  /** Whether the client saw every task it made reach a terminal state. */
  get settled(): boolean {
    return this.sent.every((m) => m.terminal !== null);
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onEvent(event: ConversationStreamEvent) {
    const at = Math.round(performance.now());
    if (event.type === 'snapshot')
      this.trace.push(`${at} snapshot tasks=${event.tasks.map((t) => `${t.id.slice(0, 8)}:${t.status}`).join(',')}`);
    else if (event.type === 'task') this.trace.push(`${at} task ${event.task.id.slice(0, 8)}:${event.task.status}`);
    else if (event.type === 'connection') this.trace.push(`${at} connection ${event.connection}`);
    else if (event.type === 'error') this.trace.push(`${at} error ${event.error.message}`);
    if (event.type === 'snapshot') for (const t of event.tasks) this.observe(t);
    if (event.type === 'task') {
      this.eventLagMs.push(Date.now() - Date.parse(event.task.updatedAt));
      this.observe(event.task);
    }
  }

  private observe(task: Snapshot, now = performance.now()) {
    const known = this.latest.get(task.id);
    if (!known || task.version >= known.version) this.latest.set(task.id, task);
    const message = this.sent.find((m) => m.taskId === task.id);
    // An event can arrive before send() has returned: keep it for then.
    if (!message) return void this.seen.set(task.id, [...(this.seen.get(task.id) ?? []), { task, at: now }]);
    if (task.status !== 'pending' && message.firstStatusAt === null) message.firstStatusAt = now;
    if (isTerminal(task.status) && message.terminal === null) {
      message.terminal = task.status;
      message.terminalAt = now;
    }
  }
}
