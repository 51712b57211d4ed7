import {
  createHttpTransport,
  createIdempotencyKey,
  initialTaskState,
  reduceTask,
  type ConversationStreamEvent,
  type TaskState,
  type Transport,
} from '@app/async-tasks';
import type { TaskOutput, TaskSnapshot } from '@app/async-tasks/contract';
import { nowMs } from './llm-tap.js';

/** One step of the reply's text as the visitor saw it grow. */
export interface Growth {
  /** Characters of the reply shown after this event. */
  length: number;
  /** When the event arrived (bench clock, epoch ms). */
  at: number;
  /** When the database wrote what it carries: the row's `updatedAt` (a message's `createdAt`), epoch ms. */
  writtenAt: number;
  via: 'snapshot' | 'task' | 'output' | 'message';
}

/** Bytes of one SSE data event as the server frames it (the id line left out: the same for either event). */
const sseBytes = (event: string, data: unknown) => Buffer.byteLength(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * A visitor asking one question through the SDK's http transport (fetch + SSE) and following the
 * reply on the conversation stream, applying `output` deltas with the SDK's own `reduceTask`.
 * It records when each piece of text first arrived, every byte the stream delivered, and what the
 * same stream would have cost had each `output` been a whole `task` event.
 */
export class StreamingVisitor {
  readonly transport: Transport;
  taskId: string | null = null;
  /** When the stream's first snapshot arrived (epoch ms): text sent before then could not be live. */
  liveAt: number | null = null;
  readonly growth: Growth[] = [];
  /** The reply as stored, from the assistant message; null until it arrived. */
  finalText: string | null = null;
  /** Whether some text showed while the task was still running (before the completed task or its message). */
  sawTextBeforeCompletion = false;
  /** Texts shown that were not a start of the reply (must stay empty). */
  readonly wrongText: string[] = [];
  /** Bytes the SSE response bodies delivered. */
  sseBytes = 0;
  readonly events = { output: 0, task: 0, message: 0, snapshot: 0, outputBytes: 0, asWholeTaskBytes: 0 };
  /** Bytes of the data events by name, as the server frames them (the id lines left out). */
  readonly bytesByEvent: Record<'snapshot' | 'task' | 'output' | 'message', number> = { snapshot: 0, task: 0, output: 0, message: 0 };
  private state: TaskState | null = null;
  /** The last whole snapshot of the task this stream carried (what an `output` event is a delta of). */
  private lastWhole: TaskSnapshot | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    baseUrl: string,
    private readonly reply: string,
  ) {
    this.transport = createHttpTransport({
      baseUrl,
      storage: null,
      connectivity: new EventTarget(),
      isOnline: () => true,
      visibility: null,
      fetch: this.countingFetch(),
      backoff: { baseMs: 100, capMs: 2000 },
    });
  }

  async ask(question: string): Promise<void> {
    const result = await this.transport.sendChatMessage({
      conversationId: null,
      content: question,
      idempotencyKey: createIdempotencyKey(),
    });
    this.taskId = result.task.id;
    this.state = reduceTask(initialTaskState(result.task.id), { type: 'task', task: result.task });
    this.lastWhole = result.task;
    this.unsubscribe = this.transport.subscribeConversation(result.conversationId, (event) => this.onEvent(event));
  }

  get done(): boolean {
    return this.finalText !== null;
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onEvent(event: ConversationStreamEvent) {
    const at = nowMs();
    if (event.type === 'snapshot') {
      this.events.snapshot += 1;
      this.bytesByEvent.snapshot += sseBytes('snapshot', { messages: event.messages, tasks: event.tasks });
      this.liveAt ??= at;
      for (const task of event.tasks) this.onTask(task, at, 'snapshot');
      for (const message of event.messages) this.onMessage(message, at, 'snapshot');
    } else if (event.type === 'task') {
      this.events.task += 1;
      this.bytesByEvent.task += sseBytes('task', event.task);
      this.onTask(event.task, at, 'task');
    } else if (event.type === 'output') {
      this.events.output += 1;
      this.bytesByEvent.output += sseBytes('output', event.output);
      this.onOutput(event.output, at);
    } else if (event.type === 'message') {
      this.events.message += 1;
      this.bytesByEvent.message += sseBytes('message', event.message);
      this.onMessage(event.message, at, 'message');
    }
  }

  private onTask(task: TaskSnapshot, at: number, via: Growth['via']) {
    if (!this.state || task.id !== this.state.id) return;
    this.lastWhole = task;
    this.state = reduceTask(this.state, { type: via === 'snapshot' ? 'snapshot' : 'task', task });
    this.observe(at, Date.parse(task.updatedAt), via);
  }

  private onOutput(output: TaskOutput, at: number) {
    if (!this.state || output.taskId !== this.state.id) return;
    this.state = reduceTask(this.state, { type: 'output', output });
    this.events.outputBytes += sseBytes('output', output);
    if (this.lastWhole) {
      const whole = { ...this.lastWhole, version: output.version, updatedAt: output.updatedAt, partialText: this.state.partialText };
      this.events.asWholeTaskBytes += sseBytes('task', whole);
    }
    this.observe(at, Date.parse(output.updatedAt), 'output');
  }

  private onMessage(
    message: { role: string; asyncTaskId: string | null; content: string; createdAt: string },
    at: number,
    via: Growth['via'],
  ) {
    if (message.role !== 'assistant' || !this.state || message.asyncTaskId !== this.state.id) return;
    this.finalText ??= message.content;
    this.observe(at, Date.parse(message.createdAt), via);
  }

  /** The text the visitor would see now: the stored reply, the completed result, or the text so far. */
  private observe(at: number, writtenAt: number, via: Growth['via']) {
    const state = this.state!;
    const result = state.status === 'completed' ? (state.result as { content?: string } | null)?.content : undefined;
    const shown = this.finalText ?? result ?? state.partialText ?? '';
    if (!this.reply.startsWith(shown)) this.wrongText.push(shown.slice(0, 80));
    if (shown && this.finalText === null && state.status !== 'completed') this.sawTextBeforeCompletion = true;
    const before = this.growth.at(-1)?.length ?? 0;
    if (shown.length > before) this.growth.push({ length: shown.length, at, writtenAt, via });
  }

  /** fetch that counts the bytes of every event-stream body as the SDK reads it. */
  private countingFetch(): typeof fetch {
    return async (input, init) => {
      const res = await fetch(input, init);
      if (!res.body || !res.headers.get('content-type')?.includes('text/event-stream')) return res;
      const counted = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform: (chunk, controller) => {
            this.sseBytes += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  }
}
