import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../../test/fixtures.js';
import { interleave, replyHistory, streamed, withDuplicates } from '../../test/streamed-reply.js';
import type { TaskOutput, TaskSnapshot } from '../contract/index.js';
import { reduceTask, type TaskEvent } from './reduce-task.js';
import { initialTaskState, type TaskState } from './task-state.js';

const loaded = (change: Partial<TaskSnapshot> = {}) =>
  reduceTask(initialTaskState('t1'), {
    type: 'snapshot',
    task: snapshot({ status: 'processing', version: 3, partialText: 'Hello', ...change }),
  });
const output = (change: Partial<TaskOutput> = {}): TaskEvent => ({
  type: 'output',
  output: { taskId: 't1', version: 4, updatedAt: '2026-01-01T00:00:04.000Z', from: 5, text: ' world', ...change },
});

describe('reduceTask: output', () => {
  it('grows the text past what it holds, with the new version and time', () => {
    expect(reduceTask(loaded(), output())).toMatchObject({
      partialText: 'Hello world',
      version: 4,
      updatedAt: '2026-01-01T00:00:04.000Z',
      status: 'processing',
    });
  });

  it('starts from `from`: what follows it is replaced', () => {
    expect(reduceTask(loaded(), output({ from: 4, text: '! and more' })).partialText).toBe('Hell! and more');
    expect(reduceTask(loaded({ partialText: null }), output({ from: 0, text: 'First' })).partialText).toBe('First');
  });

  it('is ignored, same object back, when it is not newer, not this task, or not loaded', () => {
    const state = loaded();
    expect(reduceTask(state, output({ version: 3 }))).toBe(state);
    expect(reduceTask(state, output({ version: 2, from: 0, text: 'x' }))).toBe(state);
    expect(reduceTask(state, output({ taskId: 't2' }))).toBe(state);
    const unloaded = initialTaskState('t1');
    expect(reduceTask(unloaded, output({ from: 0 }))).toBe(unloaded);
  });

  it('is ignored when the text it grows is not all here (a later full event repairs it)', () => {
    const state = loaded({ partialText: 'Hel' });
    expect(reduceTask(state, output({ from: 5 }))).toBe(state);
    const none = loaded({ partialText: null });
    expect(reduceTask(none, output({ from: 1 }))).toBe(none);
  });

  it('never changes a completed or cancelled task', () => {
    for (const status of ['completed', 'cancelled'] as const) {
      const done = loaded({ status });
      expect(reduceTask(done, output())).toBe(done);
    }
  });
});

/** One stream: a snapshot of the state at `start`, then every later state up to `end`, as the server sends them. */
const stream = (states: TaskSnapshot[], start: number, end: number, picks: number[]): TaskEvent[] => [
  { type: 'snapshot', task: states[start]! },
  ...states.slice(start + 1, end + 1).map((after, i) => streamed(states[start + i]!, after, picks[i % picks.length]!)),
];

/** Streams (reconnects, another source) interleaved, each in its own order and repeating itself; one sees the task to its end. */
const delivery = replyHistory().chain((states) => {
  const index = fc.nat(states.length - 1);
  const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 5 });
  const dups = fc.array(fc.nat(), { maxLength: 4 });
  const oneStream = (end: fc.Arbitrary<number>) =>
    fc.tuple(index, end, picks, dups).map(([a, b, p, d]) => withDuplicates(stream(states, Math.min(a, b), Math.max(a, b), p), d));
  return fc
    .tuple(
      oneStream(fc.constant(states.length - 1)),
      fc.array(oneStream(index), { maxLength: 3 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
    )
    .map(([full, others, order]) => ({ states, events: interleave([full, ...others], order) }));
});

const truth = ({ loaded: _l, connection: _c, problem: _p, ...snapshotPart }: TaskState) => snapshotPart;

describe('reduceTask properties with streamed text', () => {
  it('always holds a true state: no regressed version, no text of an attempt shortened, none made up; ends at the last state', () => {
    fc.assert(
      fc.property(delivery, ({ states, events }) => {
        let state = initialTaskState('t1');
        for (const event of events) {
          const next = reduceTask(state, event);
          if (state.loaded) {
            expect(next.version).toBeGreaterThanOrEqual(state.version);
            if (next.attempt === state.attempt && next.status === 'processing' && state.status === 'processing')
              expect((next.partialText ?? '').startsWith(state.partialText ?? '')).toBe(true);
          }
          if (next.loaded) expect(truth(next)).toEqual(states[next.version - 1]);
          state = next;
        }
        expect(truth(state)).toEqual(states.at(-1));
      }),
      { numRuns: 500 },
    );
  });
});
