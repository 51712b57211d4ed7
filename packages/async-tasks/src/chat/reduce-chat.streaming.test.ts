import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { message } from '../../test/fixtures.js';
import { interleave, replyHistory, streamed, withDuplicates } from '../../test/streamed-reply.js';
import type { ChatMessage, TaskSnapshot } from '../contract/index.js';
import type { TaskState } from '../task/task-state.js';
import { initialChatState } from './chat-state.js';
import { type ChatAction, reduceChat } from './reduce-chat.js';
import { chatItems } from './selectors.js';

const c = 'c1';
const questions = [1, 2].map((n) => message({ id: `q${n}`, conversationId: c, content: `q${n}`, seq: n, asyncTaskId: `t${n}` }));

/** One moment of the conversation's life: a task changed, or a reply was stored. */
type Change = { task: TaskSnapshot } | { message: ChatMessage };

/**
 * The conversation's true life: two questions, their replies' task histories interleaved, and for
 * each completed reply its stored message right after (as task_complete writes both).
 */
const life = fc
  .tuple(
    replyHistory({ id: 't1', conversationId: c }),
    replyHistory({ id: 't2', conversationId: c }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
  )
  .map(([h1, h2, order]) => {
    const asChanges = (states: TaskSnapshot[]): Change[][] =>
      states.slice(1).map((task) => {
        const content = (task.result as { content?: string } | null)?.content;
        if (task.status !== 'completed' || content === undefined) return [{ task }];
        return [
          { task },
          { message: message({ id: `a-${task.id}`, conversationId: c, role: 'assistant', content, asyncTaskId: task.id }) },
        ];
      });
    // A conversation's seq is its commit order: number the stored replies in the order they happen.
    let seq = questions.length;
    const changes = interleave([asChanges(h1), asChanges(h2)], order)
      .flat()
      .map((change): Change => ('message' in change ? { message: { ...change.message, seq: ++seq } } : change));
    return { histories: [h1, h2], first: [h1[0]!, h2[0]!], changes };
  });

type Life = { histories: TaskSnapshot[][]; first: TaskSnapshot[]; changes: Change[] };

/** The rows at moment `k` (after `k` changes). */
function world({ first, changes }: Life, k: number) {
  const tasks = new Map(first.map((t) => [t.id, t]));
  const messages = [...questions];
  for (const change of changes.slice(0, k)) {
    if ('task' in change) tasks.set(change.task.id, change.task);
    else messages.push(change.message);
  }
  return { messages, tasks: [...tasks.values()] };
}

/** A conversation stream from moment `start` to `end`: its snapshot, then each change as the server sends it. */
function stream(l: Life, start: number, end: number, picks: number[]): ChatAction[] {
  const { messages, tasks } = world(l, start);
  const carried = new Map(tasks.map((t) => [t.id, t]));
  const actions: ChatAction[] = [{ type: 'snapshot', conversationId: c, messages, tasks }];
  l.changes.slice(start, end).forEach((change, i) => {
    if ('message' in change) {
      actions.push({ type: 'message', conversationId: c, message: change.message });
    } else {
      actions.push({ ...streamed(carried.get(change.task.id)!, change.task, picks[i % picks.length]!), conversationId: c });
      carried.set(change.task.id, change.task);
    }
  });
  return actions;
}

/** What the stream (through reconnects), history pages and another stream deliver, interleaved; the first stream sees it all. */
const delivery = life.chain((l) => {
  const k = fc.nat(l.changes.length);
  const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 5 });
  const dups = fc.array(fc.nat(), { maxLength: 4 });
  const oneStream = (end: fc.Arbitrary<number>) =>
    fc.tuple(k, end, picks, dups).map(([a, b, p, d]) => withDuplicates(stream(l, Math.min(a, b), Math.max(a, b), p), d));
  const page = k.map(
    (at): ChatAction => ({ type: 'page-loaded', conversationId: c, page: { conversationId: c, ...world(l, at), nextBefore: null } }),
  );
  return fc
    .tuple(
      oneStream(fc.constant(l.changes.length)),
      fc.array(oneStream(k), { maxLength: 2 }),
      fc.array(page, { maxLength: 3 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
    )
    .map(([full, others, pages, order]) => ({ life: l, actions: interleave([full, ...others, pages], order) }));
});

const truth = ({ loaded: _l, connection: _c, problem: _p, ...row }: TaskState) => row;

describe('reduceChat properties with streamed replies', () => {
  it('shows each reply once, with a true text of its task, right after its question until the stored message replaces it; ends at the last state', () => {
    fc.assert(
      fc.property(delivery, ({ life: l, actions }) => {
        let state = initialChatState({ conversationId: c });
        const finals = new Set<string>();
        for (const action of actions) {
          const next = reduceChat(state, action);
          for (const [id, task] of next.tasks) {
            const before = state.tasks.get(id);
            if (before) expect(task.version).toBeGreaterThanOrEqual(before.version);
            expect(truth(task)).toEqual(l.histories[Number(id.slice(1)) - 1]![task.version - 1]);
          }
          const items = chatItems(next.messages, next.outbox, next.tasks);
          expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
          for (const [n, question] of questions.entries()) {
            const taskId = `t${n + 1}`;
            const replies = items.filter((i) => i.role === 'assistant' && i.taskId === taskId);
            expect(replies.length).toBeLessThanOrEqual(1);
            const [reply] = replies;
            const stored = next.messages.get(`a-${taskId}`);
            if (stored) expect(reply).toMatchObject({ id: stored.id, content: stored.content, status: 'final' });
            const task = next.tasks.get(taskId);
            if (!stored && task) {
              // Until its message: the completed task's result, else the text so far (shown when
              // there is some, and after Stop even when there is none).
              const text = task.status === 'completed' ? (task.result as { content: string }).content : (task.partialText ?? '');
              const shown = text !== '' || task.status === 'cancelled';
              expect(reply && { id: reply.id, content: reply.content }).toEqual(
                shown ? { id: `reply:${taskId}`, content: text } : undefined,
              );
            }
            // Once final, a reply stays final: the message never goes, a completed task never changes.
            if (reply?.status === 'final') finals.add(taskId);
            else expect(finals.has(taskId)).toBe(false);
            // Before its message, a reply is right after its question (the message then goes by its seq).
            if (reply && !stored && next.messages.has(question.id)) expect(items[items.indexOf(reply) - 1]?.id).toBe(question.id);
          }
          state = next;
        }
        const last = world(l, l.changes.length);
        for (const task of last.tasks) expect(truth(state.tasks.get(task.id)!)).toEqual(task);
        expect([...state.messages.values()].sort((a, b) => a.seq - b.seq)).toEqual(last.messages);
      }),
      { numRuns: 300 },
    );
  });
});
