import { describe, expect, it } from 'vitest';
import { message, snapshot } from '../../test/fixtures.js';
import { ConversationNotFoundError } from '../errors/conversation-not-found-error.js';
import { HttpError } from '../errors/http-error.js';
import { NetworkError } from '../errors/network-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { type ChatState, initialChatState, type OutboxItem } from './chat-state.js';
import { type ChatAction, reduceChat } from './reduce-chat.js';
import { chatItems } from './selectors.js';

const apply = (actions: ChatAction[], state: ChatState = initialChatState({ conversationId: 'c1' })) => actions.reduce(reduceChat, state);
const item = (localId: string, change: Partial<OutboxItem> = {}): OutboxItem => ({
  localId,
  idempotencyKey: `key-${localId}`,
  content: localId,
  createdAt: '2026-01-01T00:00:00.000Z',
  delivery: 'sending',
  error: null,
  ...change,
});
const reply = (change = {}) => snapshot({ id: 't1', conversationId: 'c1', ...change });
const sent = (localId: string, id: string, conversationId = 'c1') => ({
  conversationId,
  message: message({ id, conversationId, content: localId, asyncTaskId: `t-${id}` }),
  task: snapshot({ id: `t-${id}`, conversationId }),
});

describe('reduceChat: server rows', () => {
  it('merges messages by id and tasks by version, and returns the same state for what it has', () => {
    const state = apply([
      { type: 'snapshot', conversationId: 'c1', messages: [message()], tasks: [reply({ version: 2, status: 'processing' })] },
      { type: 'task', task: reply({ version: 1 }) },
    ]);
    expect(state.tasks.get('t1')).toMatchObject({ version: 2, status: 'processing', loaded: true });
    expect(reduceChat(state, { type: 'message', message: message() })).toBe(state);
    expect(reduceChat(state, { type: 'task', task: reply({ version: 2, statusMessage: 'late copy' }) })).toBe(state);
  });

  it('grows the text of its task with output events; one for a task it does not have, or another conversation, changes nothing', () => {
    const state = apply([{ type: 'task', task: reply({ version: 2, status: 'processing', partialText: 'Hel' }) }]);
    const output = { taskId: 't1', version: 3, updatedAt: 'later', from: 3, text: 'lo' };
    expect(reduceChat(state, { type: 'output', conversationId: 'c1', output }).tasks.get('t1')).toMatchObject({
      partialText: 'Hello',
      version: 3,
      status: 'processing',
    });
    expect(reduceChat(state, { type: 'output', conversationId: 'c1', output: { ...output, taskId: 't9', from: 0 } })).toBe(state);
    expect(reduceChat(state, { type: 'output', conversationId: 'c2', output })).toBe(state);
    expect(reduceChat(state, { type: 'output', conversationId: 'c1', output: { ...output, version: 2 } })).toBe(state);
  });

  it('ignores anything about another conversation', () => {
    const state = apply([{ type: 'message', message: message() }]);
    expect(reduceChat(state, { type: 'message', message: message({ id: 'm2', conversationId: 'c2' }) })).toBe(state);
    expect(reduceChat(state, { type: 'connection', conversationId: 'c2', connection: 'offline' })).toBe(state);
    expect(reduceChat(state, { type: 'error', conversationId: 'c2', error: new Error('x') })).toBe(state);
  });

  it('forgets a conversation that is gone, and shows other stream failures', () => {
    const gone = new ConversationNotFoundError({ message: 'gone', status: 404 });
    const state = apply([
      { type: 'message', message: message() },
      { type: 'connection', conversationId: 'c1', connection: 'live' },
    ]);
    expect(reduceChat(state, { type: 'error', conversationId: 'c1', error: gone })).toMatchObject({
      conversationId: null,
      messages: new Map(),
    });
    const refused = new HttpError({ message: 'forbidden', status: 403 });
    expect(reduceChat(state, { type: 'error', conversationId: 'c1', error: refused })).toMatchObject({
      problem: refused,
      connection: 'offline',
    });
  });

  it('reads history pages: where older ones start, one at a time', () => {
    const page = { conversationId: 'c1', messages: [message({ id: 'm9', seq: 9 })], tasks: [], nextBefore: 9 };
    const loaded = apply([{ type: 'page-loaded', conversationId: 'c1', page }]);
    expect(loaded).toMatchObject({ nextBefore: 9, loadingOlder: false });
    const loading = reduceChat(loaded, { type: 'older-requested', conversationId: 'c1' });
    expect(loading.loadingOlder).toBe(true);
    expect(reduceChat(loading, { type: 'page-loaded', conversationId: 'c1', page: { ...page, nextBefore: null } })).toMatchObject({
      nextBefore: null,
      loadingOlder: false,
    });
    expect(reduceChat(initialChatState({ conversationId: 'c1' }), { type: 'older-requested', conversationId: 'c1' }).loadingOlder).toBe(
      false,
    );
    expect(reduceChat(loading, { type: 'history-failed', conversationId: 'c1', error: new Error('x') }).loadingOlder).toBe(false);
  });
});

describe('reduceChat: the outbox', () => {
  it('swaps the echo for the stored message in one change, starting the conversation the first send made', () => {
    const typed = apply([{ type: 'message-typed', item: item('a') }], initialChatState());
    const confirmed = reduceChat(typed, { type: 'message-sent', localId: 'a', result: sent('a', 'm1', 'c9') });
    expect(confirmed).toMatchObject({ conversationId: 'c9', outbox: [] });
    expect(chatItems(confirmed.messages, confirmed.outbox, confirmed.tasks).map((i) => [i.id, i.delivery])).toEqual([['m1', 'sent']]);
    expect(confirmed.tasks.get('t-m1')).toMatchObject({ loaded: true });
  });

  it('queues a message again after a transient failure and counts it; a refusal marks it failed', () => {
    const typed = apply([
      { type: 'message-typed', item: item('a') },
      { type: 'message-typed', item: item('b') },
    ]);
    const offline = new NetworkError({ message: 'offline' });
    const waiting = reduceChat(typed, { type: 'message-failed', localId: 'a', error: offline });
    expect(waiting.outbox[0]).toMatchObject({ delivery: 'queued', error: offline });
    expect(waiting.sendFailures).toBe(1);
    const tooLong = new ValidationError({ message: 'too long', status: 400 });
    const refused = reduceChat(waiting, { type: 'message-failed', localId: 'b', error: tooLong });
    expect(refused.outbox[1]).toMatchObject({ delivery: 'failed', error: tooLong });
    expect(refused.sendFailures).toBe(1);
    expect(reduceChat(refused, { type: 'network-online' }).sendFailures).toBe(0);
    expect(reduceChat(refused, { type: 'outbox-retried' }).outbox.map((i) => [i.delivery, i.error])).toEqual([
      ['queued', offline],
      ['queued', null],
    ]);
  });

  it('holds what was on its way while offline', () => {
    const state = apply([
      { type: 'message-typed', item: item('a') },
      { type: 'message-typed', item: item('b', { delivery: 'queued' }) },
    ]);
    expect(reduceChat(state, { type: 'outbox-paused' }).outbox.map((i) => i.delivery)).toEqual(['queued', 'queued']);
    const paused = reduceChat(state, { type: 'outbox-paused' });
    expect(reduceChat(paused, { type: 'outbox-paused' })).toBe(paused);
  });

  it('shows a message another tab sent, and takes up its conversation only when it has none', () => {
    const fresh = reduceChat(initialChatState(), { type: 'message-shared', result: sent('a', 'm1', 'c7') });
    expect(fresh).toMatchObject({ conversationId: 'c7' });
    expect(fresh.messages.has('m1')).toBe(true);
    const busy = apply([{ type: 'message', message: message() }]);
    expect(reduceChat(busy, { type: 'message-shared', result: sent('a', 'm2', 'c7') })).toBe(busy);
  });
});

describe('reduceChat: problems', () => {
  it('shows a failed command until a retry is accepted', () => {
    const problem = new Error('network down');
    const state = reduceChat(initialChatState({ conversationId: 'c1' }), { type: 'problem-reported', error: problem });
    expect(state.problem).toBe(problem);
    expect(reduceChat(state, { type: 'task-retried', task: reply({ version: 3 }) })).toMatchObject({ problem: null });
  });
});
