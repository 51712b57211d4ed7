import { describe, expect, it } from 'vitest';
import type { MessageView } from '../types.js';
import { withPendingReply } from './with-pending-reply.js';

const asked: MessageView = { id: 'm1', role: 'user', content: 'Q', taskId: 't1' };
const later: MessageView = { id: 'local-1', role: 'user', content: 'typed while waiting' };
const pending = { id: 'reply:t1', role: 'assistant', content: '', status: 'streaming', taskId: 't1' };

describe('withPendingReply', () => {
  it('puts an empty streaming reply right after the question, where its words will go', () => {
    expect(withPendingReply([asked, later], 't1')).toEqual([asked, pending, later]);
  });

  it('goes last when the question is not there', () => {
    expect(withPendingReply([later], 't1')).toEqual([later, pending]);
    expect(withPendingReply([later]).at(-1)).toMatchObject({ id: 'reply:', status: 'streaming' });
  });

  it('adds nothing once the reply has an item of its own', () => {
    const messages = [asked, { id: 'reply:t1', role: 'assistant' as const, content: 'Hel', status: 'streaming' as const, taskId: 't1' }];
    expect(withPendingReply(messages, 't1')).toBe(messages);
  });
});
