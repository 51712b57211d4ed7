import { describe, expect, it } from 'vitest';
import { message, snapshot } from '../../test/fixtures.js';
import type { ChatMessage, TaskSnapshot } from '../contract/index.js';
import type { TaskState } from '../task/task-state.js';
import type { OutboxItem } from './chat-state.js';
import { activeTask, chatItems } from './selectors.js';

const question = message({ id: 'q1', content: 'Hi?', asyncTaskId: 't1', seq: 1 });
const task = (change: Partial<TaskSnapshot> = {}): TaskState => ({
  ...snapshot({ id: 't1', conversationId: 'c1', status: 'processing', updatedAt: '2026-01-01T00:00:05.000Z', ...change }),
  loaded: true,
  connection: 'live',
  problem: null,
});
const items = (messages: ChatMessage[], tasks: TaskState[], outbox: OutboxItem[] = []) =>
  chatItems(new Map(messages.map((m) => [m.id, m])), outbox, new Map(tasks.map((t) => [t.id, t])));
const reply = (tasks: TaskState[], messages = [question]) => items(messages, tasks).filter((i) => i.role === 'assistant');

describe('chatItems: replies', () => {
  it('shows a reply being written as `streaming`, with a stable id and its task', () => {
    expect(items([question], [task({ partialText: 'Hel' })])).toEqual([
      {
        id: 'q1',
        role: 'user',
        content: 'Hi?',
        createdAt: question.createdAt,
        delivery: 'sent',
        taskId: 't1',
        error: null,
        status: 'final',
        feedback: null,
        canRegenerate: false,
        canEdit: true,
      },
      {
        id: 'reply:t1',
        role: 'assistant',
        content: 'Hel',
        createdAt: '2026-01-01T00:00:05.000Z',
        delivery: 'sent',
        taskId: 't1',
        error: null,
        status: 'streaming',
        feedback: null,
        canRegenerate: false,
        canEdit: false,
      },
    ]);
  });

  it('shows nothing for a reply before its first words (the UI shows the status), pending or processing', () => {
    for (const partialText of [null, '']) {
      expect(reply([task({ partialText })])).toEqual([]);
      expect(reply([task({ status: 'pending', partialText })])).toEqual([]);
    }
  });

  it('shows the stored message once it exists, final, under its own id, instead of the partial text', () => {
    const stored = message({ id: 'a1', role: 'assistant', content: 'Hello there', asyncTaskId: 't1', seq: 2 });
    expect(reply([task({ partialText: 'Hello th' })], [question, stored])).toEqual([
      expect.objectContaining({ id: 'a1', content: 'Hello there', taskId: 't1', status: 'final' }),
    ]);
    expect(reply([task({ status: 'completed', result: { content: 'Hello there' } })], [question, stored])).toHaveLength(1);
  });

  it('bridges a completed reply with its result until its message arrives', () => {
    expect(reply([task({ status: 'completed', result: { content: 'Done' } })])).toEqual([
      expect.objectContaining({ id: 'reply:t1', content: 'Done', taskId: 't1', status: 'final' }),
    ]);
    expect(reply([task({ status: 'completed', result: { other: 1 } })])).toEqual([]);
    expect(reply([task({ status: 'completed', result: null })])).toEqual([]);
  });

  it('shows a stopped reply with what it had written, and even with nothing', () => {
    expect(reply([task({ status: 'cancelled', partialText: 'Half a' })])).toEqual([
      expect.objectContaining({ id: 'reply:t1', content: 'Half a', status: 'stopped' }),
    ]);
    expect(reply([task({ status: 'cancelled', partialText: null })])).toEqual([
      expect.objectContaining({ id: 'reply:t1', content: '', status: 'stopped' }),
    ]);
  });

  it('shows a reply that failed after some text as `interrupted`; one that failed before any, not at all', () => {
    expect(reply([task({ status: 'failed', partialText: 'So far' })])).toEqual([
      expect.objectContaining({ id: 'reply:t1', content: 'So far', status: 'interrupted', error: null }),
    ]);
    expect(reply([task({ status: 'failed', partialText: null })])).toEqual([]);
  });

  it('shows only chat replies', () => {
    expect(reply([task({ kind: 'email.draft', partialText: 'Dear' })])).toEqual([]);
  });

  it('puts a reply right after its question, even when later messages are there, and before the outbox', () => {
    const second = message({ id: 'q2', content: 'And?', asyncTaskId: 't2', seq: 2 });
    const typed: OutboxItem = {
      localId: 'local-1',
      idempotencyKey: 'k',
      content: 'Typing',
      createdAt: '',
      delivery: 'sending',
      error: null,
    };
    const list = items([second, question], [task({ partialText: 'One' }), task({ id: 't2', status: 'pending' })], [typed]);
    expect(list.map((i) => [i.id, i.status])).toEqual([
      ['q1', 'final'],
      ['reply:t1', 'streaming'],
      ['q2', 'final'],
      ['local-1', 'final'],
    ]);
  });

  it('still shows a reply whose question is not loaded, after the messages that are', () => {
    const other = message({ id: 'm9', content: 'Older', seq: 9 });
    expect(items([other], [task({ partialText: 'Orphan' })]).map((i) => i.id)).toEqual(['m9', 'reply:t1']);
  });
});

describe('chatItems: regenerate, edit and feedback', () => {
  const answer = message({ id: 'a1', role: 'assistant', content: 'Hello', asyncTaskId: 't1', seq: 2 });
  const done = task({ status: 'completed', result: { content: 'Hello' } });

  it('offers edit on the last question and regenerate on its finished reply, with the reply’s feedback', () => {
    const feedback = { messageId: 'a1', rating: 'down' as const, comment: 'No', createdAt: '', updatedAt: '' };
    const list = chatItems(
      new Map([question, answer].map((m) => [m.id, m])),
      [],
      new Map([[done.id, done]]),
      new Map([['a1', feedback]]),
      'c1',
    );
    expect(list.map((i) => [i.id, i.canEdit, i.canRegenerate, i.feedback?.rating ?? null])).toEqual([
      ['q1', true, false, null],
      ['a1', false, true, 'down'],
    ]);
  });

  it('offers neither while a message waits to be sent in this conversation; one typed in another does not count', () => {
    const typed = (conversationId: string | null): OutboxItem => ({
      localId: 'local-1',
      idempotencyKey: 'k',
      content: 'More',
      createdAt: '',
      delivery: 'queued',
      error: null,
      conversationId,
    });
    const run = (item: OutboxItem) =>
      chatItems(new Map([question, answer].map((m) => [m.id, m])), [item], new Map([[done.id, done]]), new Map(), 'c1');
    expect(run(typed('c1')).map((i) => [i.id, i.canEdit, i.canRegenerate])).toEqual([
      ['q1', false, false],
      ['a1', false, false],
      ['local-1', false, false],
    ]);
    expect(run(typed('c2')).map((i) => [i.id, i.canEdit, i.canRegenerate])).toEqual([
      ['q1', true, false],
      ['a1', false, true],
    ]);
  });

  it('offers no regenerate while the reply is being written, and offers it on a stopped one', () => {
    expect(items([question], [task({ partialText: 'Hel' })]).map((i) => i.canRegenerate)).toEqual([false, false]);
    expect(items([question], [task({ status: 'cancelled', partialText: 'Hel' })]).map((i) => i.canRegenerate)).toEqual([false, true]);
  });

  it('leaves out what a regenerate replaced: the old reply’s message and a stopped old reply’s task', () => {
    const moved = { ...question, asyncTaskId: 't2', seq: 4 };
    const old = { ...answer, replacedByTaskId: 't2', seq: 3 };
    const next = task({ id: 't2', status: 'processing', partialText: 'New', replacesTaskId: 't1' });
    expect(items([moved, old], [done, next]).map((i) => [i.id, i.content])).toEqual([
      ['q1', 'Hi?'],
      ['reply:t2', 'New'],
    ]);
    const stopped = task({ status: 'cancelled', partialText: 'Half' });
    expect(items([moved], [stopped, next]).map((i) => i.id)).toEqual(['q1', 'reply:t2']);
  });

  it('leaves out what an edit replaced: the old question and its reply', () => {
    const oldQuestion = { ...question, replacedByTaskId: 't2', seq: 3 };
    const old = { ...answer, replacedByTaskId: 't2', seq: 4 };
    const edited = message({ id: 'q2', content: 'Hi!', asyncTaskId: 't2', seq: 5 });
    const next = task({ id: 't2', status: 'pending', replacesTaskId: 't1' });
    expect(items([oldQuestion, old, edited], [done, next]).map((i) => [i.id, i.canEdit])).toEqual([['q2', true]]);
  });
});

describe('activeTask', () => {
  it('exposes the active reply with its text so far', () => {
    const active = activeTask(new Map([['t1', task({ partialText: 'Hel' })]]), 'live');
    expect(active).toMatchObject({ id: 't1', status: 'processing', partialText: 'Hel' });
  });
});
