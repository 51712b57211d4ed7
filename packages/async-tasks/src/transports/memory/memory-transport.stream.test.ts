import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskOutput, TaskSnapshot } from '../../contract/index.js';
import { reduceTask } from '../../task/reduce-task.js';
import { initialTaskState } from '../../task/task-state.js';
import type { ConversationStreamEvent } from '../transport.js';
import { createMemoryTransport, type MemoryTransportOptions } from './memory-transport.js';

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** A fake server with a sent question, and what its conversation stream delivers from then on. */
async function ask(options: MemoryTransportOptions = {}) {
  const server = createMemoryTransport({ stepDelayMs: 1, replyDelayMs: 1, streamChunkDelayMs: 1, reply: () => 'Hello world!', ...options });
  const { conversationId, task } = await server.sendChatMessage({ content: 'Hi', idempotencyKey: 'k1' });
  const events: ConversationStreamEvent[] = [];
  stops.push(server.subscribeConversation(conversationId, (event) => events.push(event)));
  const current = () => server.inspect().tasks.find((t) => t.id === task.id)!;
  const outputs = () => events.flatMap((e) => (e.type === 'output' ? [e.output] : []));
  return { server, taskId: task.id, events, current, outputs };
}
const pieces = (outputs: TaskOutput[]) => outputs.map((o) => [o.from, o.text]);
const tasks = (events: ConversationStreamEvent[]) => events.flatMap((e) => (e.type === 'task' ? [e.task] : []));

describe('memory transport: streamed replies', () => {
  it('streams a reply in chunks as output events, then completes it whole, text cleared, and stores the message', async () => {
    const { server, events, outputs, current } = await ask({ streamChunkChars: 5 });
    await server.settled();
    expect(pieces(outputs())).toEqual([
      [0, 'Hello'],
      [5, ' worl'],
      [10, 'd!'],
    ]);
    expect(outputs().map((o) => o.version)).toEqual([...outputs().map((o) => o.version)].sort((a, b) => a - b));
    expect(current()).toMatchObject({ status: 'completed', partialText: null, result: { content: 'Hello world!' } });
    const last = events.filter((e) => e.type === 'task' || e.type === 'message').slice(-2);
    expect(last).toMatchObject([
      { type: 'task', task: { status: 'completed', partialText: null } },
      { type: 'message', message: { role: 'assistant', content: 'Hello world!' } },
    ]);
  });

  it('streams the chunks a reply gives as a list, as they are', async () => {
    const { server, outputs } = await ask({ reply: () => ['Once ', 'upon ', 'a time'] });
    await server.settled();
    expect(pieces(outputs())).toEqual([
      [0, 'Once '],
      [5, 'upon '],
      [10, 'a time'],
    ]);
    expect(server.inspect().messages.at(-1)?.content).toBe('Once upon a time');
  });

  it('answers whole, without output events, when streaming is off (the default)', async () => {
    const { server, outputs, events } = await ask();
    await server.settled();
    expect(outputs()).toEqual([]);
    expect(tasks(events).every((t) => t.partialText === null)).toBe(true);
    expect(server.inspect().messages.at(-1)?.content).toBe('Hello world!');
  });

  it('keeps the text written so far when the reply is stopped, and stores no message', async () => {
    // The second chunk would come in a minute: only Stop ends this reply.
    const { server, taskId, current } = await ask({ streamChunkChars: 5, streamChunkDelayMs: 60_000 });
    await vi.waitFor(() => expect(current().partialText).toBe('Hello'));
    await server.cancelTask(taskId);
    await server.settled();
    expect(current()).toMatchObject({ status: 'cancelled', partialText: 'Hello' });
    expect(server.inspect().messages.map((m) => m.role)).toEqual(['user']);
  });

  it('fails mid-reply after some text and keeps it; a retry starts the reply over', async () => {
    const { server, taskId, events, current } = await ask({ streamChunkChars: 5 });
    server.failNext(1, { message: 'The model broke off' }, { afterChars: 6 });
    await server.settled();
    expect(current()).toMatchObject({ status: 'failed', partialText: 'Hello worl', error: { message: 'The model broke off' } });
    const retried = await server.retryTask(taskId);
    expect(retried).toMatchObject({ status: 'pending', partialText: null });
    await server.settled();
    expect(current()).toMatchObject({ status: 'completed', attempt: 2, result: { content: 'Hello world!' } });
    // The second attempt's text grew from nothing again.
    const afterRetry = events.slice(events.findIndex((e) => e.type === 'task' && e.task.status === 'pending' && e.task.attempt === 1));
    expect(pieces(afterRetry.flatMap((e) => (e.type === 'output' ? [e.output] : [])))[0]).toEqual([0, 'Hello']);
  });

  it('drops the text of an attempt that goes back to pending (retryable), and streams afresh', async () => {
    const { server, events, current } = await ask({ streamChunkChars: 5 });
    server.failNext(1, { message: 'Busy', retryable: true }, { afterChars: 1 });
    await server.settled();
    expect(current()).toMatchObject({ status: 'completed', attempt: 2, partialText: null });
    const backToPending = tasks(events).find((t) => t.status === 'pending' && t.error?.message === 'Busy');
    expect(backToPending).toMatchObject({ attempt: 1, partialText: null });
    let state = initialTaskState(current().id);
    const texts: Array<string | null> = [];
    for (const event of events) {
      if (event.type !== 'snapshot' && event.type !== 'task' && event.type !== 'output') continue;
      state = reduceTask(state, event.type === 'snapshot' ? { type: 'snapshot', task: event.tasks[0]! } : event);
      if (texts.at(-1) !== state.partialText) texts.push(state.partialText);
    }
    expect(texts).toEqual([null, 'Hello', null, 'Hello', 'Hello worl', 'Hello world!', null]);
  });

  it('sends a stream that missed changes while offline the growth from what it last had, which applies', async () => {
    // The fake's own clock, so "offline while two chunks are written" is exact.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    stops.push(() => vi.useRealTimers());
    const { server, events, current } = await ask({ stepDelayMs: 10, replyDelayMs: 10, streamChunkChars: 2, streamChunkDelayMs: 100 });
    await vi.advanceTimersByTimeAsync(30); // the steps, then the first chunk
    expect(current().partialText).toBe('He');
    server.setOnline(false);
    await vi.advanceTimersByTimeAsync(200); // two chunks this stream misses
    expect(current().partialText).toBe('Hello ');
    server.setOnline(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(current().status).toBe('completed');
    let state = initialTaskState(current().id);
    const applied: string[] = [];
    for (const event of events) {
      if (event.type === 'snapshot') state = reduceTask(state, { type: 'snapshot', task: event.tasks.find((t) => t.id === state.id)! });
      if (event.type === 'task') state = reduceTask(state, event);
      if (event.type === 'output') {
        const next = reduceTask(state, event);
        expect(next).not.toBe(state); // every output fits what this stream had
        state = next;
        applied.push(state.partialText!);
      }
    }
    expect(applied).toEqual(['He', 'Hello wo', 'Hello worl', 'Hello world!']);
    const { loaded, connection, problem, ...row } = state;
    expect(row).toEqual(current() satisfies TaskSnapshot);
  });
});
