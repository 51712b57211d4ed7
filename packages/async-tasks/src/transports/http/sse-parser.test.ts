import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.js';

const parse = (chunks: string[]) => {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return { events, lastEventId: parser.lastEventId() };
};

const stream =
  '\uFEFF: keep-alive\r\nevent: snapshot\r\nid: 7\r\ndata: {"a":1}\r\n\r\nevent: task\ndata: line one\ndata:line two\n\nretry: 3000\ndata: plain\rid: 9\r\r: trailing comment\n';

describe('createSseParser', () => {
  it('parses events and ids, skips comments and retry, joins multi-line data, takes every line ending', () => {
    const { events, lastEventId } = parse([stream]);
    expect(events).toEqual([
      { type: 'snapshot', data: '{"a":1}', lastEventId: '7' },
      { type: 'task', data: 'line one\nline two', lastEventId: '7' },
      { type: 'message', data: 'plain', lastEventId: '9' },
    ]);
    expect(lastEventId).toBe('9');
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const whole = parse([stream]).events;
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 12 }), (cuts) => {
        const points = [...new Set([0, ...cuts.sort((a, b) => a - b), stream.length])];
        const chunks = points.slice(1).map((end, i) => stream.slice(points[i], end));
        expect(parse(chunks).events).toEqual(whole);
      }),
    );
  });

  it('does not dispatch an event until its blank line arrives, nor one without data', () => {
    expect(parse(['event: task\ndata: x\n']).events).toEqual([]);
    expect(parse(['event: task\nid: 3\n\n']).events).toEqual([]);
    expect(parse(['event: task\nid: 3\n\n']).lastEventId).toBe('3');
  });

  it('ignores unknown fields and ids with NUL', () => {
    expect(parse(['foo: bar\nid: a\0b\ndata: x\n\n']).events).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
  });
});
