import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { message, snapshot } from '../../test/fixtures.js';
import type { ChatMessage, TaskSnapshot, TaskStatus } from '../contract/index.js';
import { NetworkError } from '../errors/network-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { type ChatState, initialChatState } from './chat-state.js';
import { type ChatAction, reduceChat } from './reduce-chat.js';
import { chatItems } from './selectors.js';

const items = (state: ChatState) => chatItems(state.messages, state.outbox, state.tasks);

/** A conversation's true history: its messages, and every version each reply task went through. */
const conversation = (id: string) =>
  fc
    .record({
      messages: fc.integer({ min: 1, max: 8 }),
      tasks: fc.array(fc.array(fc.constantFrom<TaskStatus>('pending', 'processing', 'failed'), { maxLength: 5 }), {
        minLength: 1,
        maxLength: 3,
      }),
      last: fc.array(fc.constantFrom<TaskStatus>('processing', 'completed', 'failed', 'cancelled'), { minLength: 3, maxLength: 3 }),
    })
    .map(({ messages, tasks, last }) => ({
      messages: Array.from({ length: messages }, (_, i) =>
        message({ id: `${id}-m${i}`, conversationId: id, content: `m${i}`, seq: i + 1 }),
      ),
      // Only the newest version may be final (completed, cancelled): nothing changes after those.
      tasks: tasks.map((steps, t) =>
        [...steps, last[t]!].map((status, v) => snapshot({ id: `${id}-t${t}`, conversationId: id, status, version: v + 1 })),
      ),
    }));

type History = { messages: ChatMessage[]; tasks: TaskSnapshot[][] };

/** What the stream and history pages deliver for a conversation, any number of times, in any order. */
const deliveries = (history: History) => {
  const oneMessage = fc.constantFrom(...history.messages);
  const oneTask = fc.constantFrom(...history.tasks.flat());
  const id = history.messages[0]!.conversationId;
  return fc.array(
    fc.oneof(
      fc
        .record({ messages: fc.subarray(history.messages), tasks: fc.subarray(history.tasks.flat()) })
        .map(({ messages, tasks }): ChatAction => ({ type: 'snapshot', conversationId: id, messages, tasks })),
      oneMessage.map((m): ChatAction => ({ type: 'message', conversationId: id, message: m })),
      oneTask.map((t): ChatAction => ({ type: 'task', task: t })),
      fc
        .record({ messages: fc.subarray(history.messages), tasks: fc.subarray(history.tasks.flat()) })
        .map((page): ChatAction => ({ type: 'page-loaded', conversationId: id, page: { conversationId: id, ...page, nextBefore: null } })),
    ),
    { minLength: 1, maxLength: 40 },
  );
};

/** Everything that can be said about another conversation, which must change nothing. */
const aboutAnother = (history: History) =>
  fc.oneof(
    deliveries(history).map((actions) => actions[0]!),
    fc.constantFrom<ChatAction>(
      { type: 'connection', conversationId: 'c2', connection: 'offline' },
      { type: 'error', conversationId: 'c2', error: new NetworkError({ message: 'cut' }) },
      { type: 'older-requested', conversationId: 'c2' },
      { type: 'history-failed', conversationId: 'c2', error: new NetworkError({ message: 'cut' }) },
    ),
  );

describe('reduceChat properties', () => {
  it('replays, duplicates and out-of-order rows never regress a task or duplicate a message; other conversations change nothing', () => {
    fc.assert(
      fc.property(
        conversation('c1').chain((mine) =>
          conversation('c2').chain((other) =>
            fc.tuple(fc.constant(mine), deliveries(mine), fc.array(aboutAnother(other), { maxLength: 40 })),
          ),
        ),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        ([mine, ours, theirs], picks) => {
          let state = initialChatState({ conversationId: 'c1' });
          const queue = [...ours];
          const foreign = [...theirs];
          for (const pickForeign of picks) {
            const action = pickForeign ? foreign.shift() : queue.shift();
            if (!action) continue;
            const next = reduceChat(state, action);
            if (pickForeign) {
              expect(next).toBe(state);
              continue;
            }
            for (const [id, task] of next.tasks) expect(task.version).toBeGreaterThanOrEqual(state.tasks.get(id)?.version ?? 0);
            const ids = items(next).map((i) => i.id);
            expect(new Set(ids).size).toBe(ids.length);
            state = next;
          }
          // Whatever arrived ends as the newest version of it.
          const delivered = ours.slice(0, ours.length - queue.length);
          const seen = delivered.flatMap((a) =>
            a.type === 'task' ? [a.task] : 'tasks' in a ? a.tasks : a.type === 'page-loaded' ? a.page.tasks : [],
          );
          for (const versions of mine.tasks) {
            const newest = Math.max(0, ...seen.filter((t) => t.id === versions[0]!.id).map((t) => t.version));
            if (newest) expect(state.tasks.get(versions[0]!.id)?.version).toBe(newest);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never shows a confirmed message twice, whenever the stream delivers the stored copy', () => {
    const stored = message({ id: 'm1', content: 'Hi', asyncTaskId: 't1' });
    const result = { conversationId: 'c1', message: stored, task: snapshot({ id: 't1', conversationId: 'c1' }) };
    const later = fc.constantFrom<ChatAction>(
      { type: 'message-sending', localId: 'a' },
      { type: 'message', conversationId: 'c1', message: stored },
      { type: 'message-sent', localId: 'a', result },
      { type: 'message-failed', localId: 'a', error: new NetworkError({ message: 'offline' }) },
      { type: 'outbox-paused' },
    );
    fc.assert(
      fc.property(fc.array(later, { maxLength: 12 }), fc.array(later, { maxLength: 12 }), (before, after) => {
        const typed: ChatAction = {
          type: 'message-typed',
          item: { localId: 'a', idempotencyKey: 'k', content: 'Hi', createdAt: '', delivery: 'sending', error: null },
        };
        let state = [typed, ...before, { type: 'message-sent', localId: 'a', result } as ChatAction].reduce(
          reduceChat,
          initialChatState({ conversationId: 'c1' }),
        );
        for (const action of [undefined, ...after]) {
          if (action) state = reduceChat(state, action);
          expect(items(state).filter((i) => i.content === 'Hi')).toEqual([expect.objectContaining({ id: 'm1', delivery: 'sent' })]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the outbox in typing order, whatever happens to each message', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const localId = fc.constantFrom(...ids);
    const happening = fc.oneof(
      localId.map((id): ChatAction => ({ type: 'message-sending', localId: id })),
      localId.map((id): ChatAction => ({ type: 'message-failed', localId: id, error: new NetworkError({ message: 'offline' }) })),
      localId.map(
        (id): ChatAction => ({ type: 'message-failed', localId: id, error: new ValidationError({ message: 'no', status: 400 }) }),
      ),
      localId.map(
        (id): ChatAction => ({
          type: 'message-sent',
          localId: id,
          result: {
            conversationId: 'c1',
            message: message({ id: `m-${id}`, seq: ids.indexOf(id) + 1 }),
            task: snapshot({ id: `t-${id}`, conversationId: 'c1' }),
          },
        }),
      ),
      fc.constantFrom<ChatAction>({ type: 'outbox-paused' }, { type: 'outbox-retried' }, { type: 'network-online' }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(happening, { maxLength: 4 }), { minLength: ids.length, maxLength: ids.length }), (between) => {
        let state = initialChatState({ conversationId: 'c1' });
        ids.forEach((id, n) => {
          const typed: ChatAction = {
            type: 'message-typed',
            item: { localId: id, idempotencyKey: id, content: id, createdAt: '', delivery: 'queued', error: null },
          };
          for (const action of [typed, ...between[n]!]) {
            state = reduceChat(state, action);
            const order = state.outbox.map((i) => ids.indexOf(i.localId));
            expect(order).toEqual([...order].sort((x, y) => x - y));
            expect(
              items(state)
                .filter((i) => i.delivery !== 'sent')
                .map((i) => i.id),
            ).toEqual(state.outbox.map((i) => i.localId));
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
