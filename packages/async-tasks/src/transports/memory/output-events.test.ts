import { describe, expect, it } from 'vitest';
import { snapshot } from '../../../test/fixtures.js';
import type { TaskSnapshot } from '../../contract/index.js';
import type { TaskStreamEvent } from '../transport.js';
import { carryOutput } from './output-events.js';

const at = (version: number, change: Partial<TaskSnapshot> = {}) =>
  snapshot({ status: 'processing', version, updatedAt: `v${version}`, ...change });

describe('carryOutput', () => {
  const carry = () => {
    const seen: TaskStreamEvent[] = [];
    return { seen, send: carryOutput<TaskStreamEvent>((event) => seen.push(event)) };
  };

  it('sends a growth of the text past what the stream carried as an output, anything else whole', () => {
    const { seen, send } = carry();
    send({ type: 'snapshot', task: at(1, { partialText: null }) });
    send({ type: 'task', task: at(2, { partialText: 'Hel' }) });
    send({ type: 'task', task: at(3, { partialText: 'Hello' }) });
    send({ type: 'task', task: at(4, { partialText: 'Hello', statusMessage: 'Still thinking' }) });
    send({ type: 'task', task: at(5, { partialText: 'Bye' }) });
    send({ type: 'task', task: at(6, { status: 'completed', partialText: null }) });
    expect(seen.map((e) => (e.type === 'output' ? `output ${e.output.from}+${e.output.text} v${e.output.version}` : e.type))).toEqual([
      'snapshot',
      'output 0+Hel v2',
      'output 3+lo v3',
      'task',
      'task',
      'task',
    ]);
    expect(seen[1]).toEqual({ type: 'output', output: { taskId: 't1', version: 2, updatedAt: 'v2', from: 0, text: 'Hel' } });
  });

  it('counts from what this stream carried, so a change it missed (offline) is part of the next growth', () => {
    const { seen, send } = carry();
    send({ type: 'task', task: at(2, { partialText: 'He' }) }); // first sighting: whole
    // versions 3 and 4 never reached this stream
    send({ type: 'task', task: at(5, { partialText: 'Hello' }) });
    expect(seen.map((e) => e.type)).toEqual(['task', 'output']);
    expect(seen[1]).toMatchObject({ output: { from: 2, text: 'llo', version: 5 } });
  });

  it('passes other events through, and learns a conversation snapshot’s tasks', () => {
    const seen: unknown[] = [];
    const send = carryOutput((event) => seen.push(event));
    send({ type: 'connection', connection: 'live' });
    send({ type: 'snapshot', messages: [], tasks: [at(1, { partialText: 'A' })] });
    send({ type: 'task', task: at(2, { partialText: 'AB' }) });
    expect(seen).toMatchObject([{ type: 'connection' }, { type: 'snapshot' }, { type: 'output', output: { from: 1, text: 'B' } }]);
  });
});
