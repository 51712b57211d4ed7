import type { TaskSnapshot } from '@app/async-tasks/contract';
import { describe, expect, it } from 'vitest';
import { taskEvent } from './task-event.js';

const base: TaskSnapshot = {
  id: 't1',
  kind: 'chat.reply',
  conversationId: 'c1',
  status: 'processing',
  statusMessage: 'AI is thinking…',
  partialText: 'Hello',
  result: null,
  error: null,
  attempt: 1,
  maxAttempts: 3,
  cancelRequested: false,
  version: 5,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  startedAt: '2026-01-01T00:00:00.500Z',
  finishedAt: null,
  nextAttemptAt: '2026-01-01T00:00:00.000Z',
  deadlineAt: '2026-01-01T00:02:00.000Z',
};
const next = (change: Partial<TaskSnapshot>): TaskSnapshot => ({ ...base, version: 6, updatedAt: '2026-01-01T00:00:02.000Z', ...change });

describe('taskEvent: output when only the reply text grew, else the whole task', () => {
  it('sends the appended characters, from where the last text ended', () => {
    expect(taskEvent(base, next({ partialText: 'Hello, world' }))).toEqual({
      event: 'output',
      data: { taskId: 't1', version: 6, updatedAt: '2026-01-01T00:00:02.000Z', from: 5, text: ', world' },
    });
  });

  it('the first words of a reply are a delta from nothing', () => {
    expect(taskEvent({ ...base, partialText: null }, next({ partialText: 'Hi' }))).toMatchObject({
      event: 'output',
      data: { from: 0, text: 'Hi' },
    });
  });

  it.each<[string, Partial<TaskSnapshot>]>([
    ['a text that starts over (a replace)', { partialText: 'Howdy' }],
    [
      'a text cleared by a retry',
      { partialText: null, status: 'pending', attempt: 1, error: { code: 'x', message: 'y', retryable: true } },
    ],
    ['a shorter text', { partialText: 'Hell' }],
    ['the same text (nothing grew)', {}],
    ['a status change with more text', { partialText: 'Hello!', status: 'cancelled', finishedAt: '2026-01-01T00:00:03.000Z' }],
    ['a new status message with more text', { partialText: 'Hello!', statusMessage: 'Checking sources…' }],
    ['a new attempt with more text', { partialText: 'Hello!', attempt: 2 }],
    ['a cancel request with more text', { partialText: 'Hello!', cancelRequested: true }],
    ['a result with more text', { partialText: 'Hello!', result: { content: 'Hello!' } }],
  ])('a whole task event for %s', (_, change) => {
    const to = next(change);
    expect(taskEvent(base, to)).toEqual({ event: 'task', data: to });
  });

  it('a whole task event for a task the stream has not sent yet', () => {
    const to = next({ partialText: 'Hello, world' });
    expect(taskEvent(undefined, to)).toEqual({ event: 'task', data: to });
  });
});
