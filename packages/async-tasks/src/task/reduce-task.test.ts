import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../../test/fixtures.js';
import type { TaskSnapshot } from '../contract/index.js';
import { reduceTask, type TaskEvent } from './reduce-task.js';
import { initialTaskState, type TaskState } from './task-state.js';

const apply = (events: TaskEvent[], state: TaskState = initialTaskState('t1')) => events.reduce(reduceTask, state);

describe('reduceTask', () => {
  it('takes the first snapshot whatever its version', () => {
    const state = apply([{ type: 'snapshot', task: snapshot({ version: 0 }) }]);
    expect(state).toMatchObject({ loaded: true, version: 0, status: 'pending' });
  });

  it('ignores an update that is not newer and returns the same object', () => {
    const state = apply([{ type: 'task', task: snapshot({ version: 3, status: 'processing' }) }]);
    expect(reduceTask(state, { type: 'task', task: snapshot({ version: 3, statusMessage: 'x' }) })).toBe(state);
    expect(reduceTask(state, { type: 'snapshot', task: snapshot({ version: 2 }) })).toBe(state);
  });

  it('never leaves completed or cancelled, even for a newer version', () => {
    for (const status of ['completed', 'cancelled'] as const) {
      const done = apply([{ type: 'task', task: snapshot({ version: 5, status }) }]);
      expect(reduceTask(done, { type: 'task', task: snapshot({ version: 6, status: 'pending' }) })).toBe(done);
    }
  });

  it('leaves failed only for a newer version (a retry)', () => {
    const failed = apply([{ type: 'task', task: snapshot({ version: 5, status: 'failed' }) }]);
    expect(reduceTask(failed, { type: 'task', task: snapshot({ version: 4, status: 'processing' }) })).toBe(failed);
    expect(reduceTask(failed, { type: 'task', task: snapshot({ version: 6, status: 'pending' }) }).status).toBe('pending');
  });

  it('ignores snapshots of another task', () => {
    const state = initialTaskState('t1');
    expect(reduceTask(state, { type: 'snapshot', task: snapshot({ id: 'other' }) })).toBe(state);
  });

  it('keeps the connection state and problem across snapshots', () => {
    const state = apply([
      { type: 'connection', connection: 'live' },
      { type: 'error', error: new Error('x') },
      { type: 'snapshot', task: snapshot() },
    ]);
    expect(state.connection).toBe('live');
    expect(state.problem).toBeNull(); // a snapshot that arrives proves the task is reachable again
  });
});

/** A task's true history: every state it went through, versions 1, 2, 3, … */
const history = fc
  .array(fc.constantFrom('progress', 'start', 'retryableFail', 'fail', 'retry', 'complete', 'cancel'), { maxLength: 25 })
  .map((moves) => {
    const states: TaskSnapshot[] = [snapshot()];
    for (const move of moves) {
      const last = states.at(-1)!;
      if (last.status === 'completed' || last.status === 'cancelled') break;
      const next = nextState(last, move);
      if (next) states.push({ ...next, version: last.version + 1 });
    }
    return states;
  });

function nextState(last: TaskSnapshot, move: string): TaskSnapshot | null {
  const { status } = last;
  switch (move) {
    case 'start':
      return status === 'pending' ? { ...last, status: 'processing', attempt: last.attempt + 1, statusMessage: 'Reading…' } : null;
    case 'progress':
      return status === 'processing' ? { ...last, statusMessage: `step ${last.version}` } : null;
    case 'retryableFail':
      return status === 'processing' ? { ...last, status: 'pending', error: { code: 'x', message: 'x', retryable: true } } : null;
    case 'fail':
      return status === 'processing' ? { ...last, status: 'failed', error: { code: 'x', message: 'x', retryable: false } } : null;
    case 'retry':
      return status === 'failed' ? { ...last, status: 'pending', maxAttempts: last.attempt + 1 } : null;
    case 'complete':
      return status === 'processing' ? { ...last, status: 'completed', result: { content: 'hi' } } : null;
    case 'cancel':
      return status !== 'failed' ? { ...last, status: 'cancelled' } : null;
    default:
      return null;
  }
}

/** The history delivered in a random order, with duplicates and stale snapshots mixed in. */
const delivery = history.chain((states) =>
  fc
    .tuple(fc.array(fc.nat(states.length - 1), { maxLength: 20 }), fc.array(fc.boolean(), { minLength: 45, maxLength: 45 }))
    .chain(([extra, kinds]) => {
      const indexes = [...states.keys(), ...extra];
      return fc.shuffledSubarray(indexes, { minLength: indexes.length }).map((order) => ({
        states,
        events: order.map((i, n): TaskEvent => ({ type: kinds[n % kinds.length] ? 'snapshot' : 'task', task: states[i]! })),
      }));
    }),
);

describe('reduceTask properties', () => {
  it('ends at the true final state and never regresses, whatever the delivery order', () => {
    fc.assert(
      fc.property(delivery, ({ states, events }) => {
        let state = initialTaskState('t1');
        let finalSeen = false;
        for (const event of events) {
          const next = reduceTask(state, event);
          if (state.loaded) expect(next.version).toBeGreaterThanOrEqual(state.version);
          if (finalSeen) expect(next).toBe(state);
          if (next.status === 'completed' || next.status === 'cancelled') finalSeen = true;
          state = next;
        }
        const { loaded, connection, problem, ...rest } = state;
        expect(rest).toEqual(states.at(-1));
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: applying an event twice equals applying it once', () => {
    fc.assert(
      fc.property(delivery, ({ events }) => {
        let once = initialTaskState('t1');
        let twice = initialTaskState('t1');
        for (const event of events) {
          once = reduceTask(once, event);
          twice = reduceTask(reduceTask(twice, event), event);
        }
        expect(twice).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});
