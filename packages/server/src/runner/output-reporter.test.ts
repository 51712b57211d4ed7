import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutputReporter, type OutputWriter } from './output-reporter.js';

/** A writer that records each write and answers it only when the test says so. */
function manualWriter() {
  const writes: Array<{ text: string; replace: boolean; answer(ok: boolean | Error): Promise<void> }> = [];
  const writer: OutputWriter = {
    output: (text, { replace }) =>
      new Promise<boolean>((resolve, reject) => {
        writes.push({
          text,
          replace,
          answer: async (ok) => {
            if (ok instanceof Error) reject(ok);
            else resolve(ok);
            await vi.advanceTimersByTimeAsync(0);
          },
        });
      }),
  };
  return { writer, writes, inFlight: () => writes.length };
}

/** A writer that accepts every write at once. */
function acceptingWriter() {
  const writes: Array<{ text: string; replace: boolean }> = [];
  const writer: OutputWriter = {
    output: async (text, { replace }) => {
      writes.push({ text, replace });
      return true;
    },
  };
  return { writer, writes };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the output reporter', () => {
  it('writes the first delta at once, as a replace, then coalesces the rest into one write per interval', async () => {
    const { writer, writes } = acceptingWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('Hello');
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual([{ text: 'Hello', replace: true }]);

    // 20 deltas within 90 ms: nothing until the interval has passed since the first write.
    for (let i = 0; i < 20; i++) {
      output.push(` w${i}`);
      await vi.advanceTimersByTimeAsync(4);
    }
    expect(writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toEqual({ text: Array.from({ length: 20 }, (_, i) => ` w${i}`).join(''), replace: false });
    expect(output.text).toBe(writes.map((w) => w.text).join(''));
    await output.close();
  });

  it('never splits a surrogate pair between two writes, and drops NUL characters the database cannot store', async () => {
    const { writer, writes } = acceptingWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    // A model whose chunks cut an emoji in half: the first half waits for the second.
    output.push('Smile \uD83D');
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual([{ text: 'Smile ', replace: true }]);
    output.push('\uDE00 and a NUL:\u0000.');
    await vi.advanceTimersByTimeAsync(100);
    expect(writes[1]).toEqual({ text: '\uD83D\uDE00 and a NUL:.', replace: false });
    expect(writes.every((w) => w.text.isWellFormed())).toBe(true);
    expect(output.text).toBe('Smile \u{1F600} and a NUL:.');
    await output.close();
  });

  it('close({ flush: true }) writes a dangling first half too: nothing more will complete it', async () => {
    const { writer, writes } = acceptingWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('Cut \uD83D');
    await vi.advanceTimersByTimeAsync(0);
    await output.close({ flush: true });
    expect(writes.map((w) => w.text).join('')).toBe('Cut \uD83D');
  });

  it('writes nothing for a reply that came whole: pushed and closed in one turn, the result carries it', async () => {
    const { writer, writes } = acceptingWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('The whole reply, ');
    output.push('in the chunk that ended the stream.');
    await output.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes).toEqual([]);
    expect(output.text).toBe('The whole reply, in the chunk that ended the stream.');
  });

  it('writes at most once per interval however fast the deltas come', async () => {
    const { writer, writes } = acceptingWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    // 200 deltas a second for 2 s.
    for (let i = 0; i < 400; i++) {
      output.push('x ');
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(100);
    // 2 s at one write per 100 ms, plus the first one at once.
    expect(writes.length).toBeGreaterThanOrEqual(20);
    expect(writes.length).toBeLessThanOrEqual(21);
    expect(writes.map((w) => w.text).join('')).toBe('x '.repeat(400));
    expect(writes.filter((w) => w.replace)).toHaveLength(1);
    await output.close();
  });

  it('never has two writes in flight: the next waits for the one before, then takes all that came meanwhile', async () => {
    const { writer, writes } = manualWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('a');
    await vi.advanceTimersByTimeAsync(0);
    output.push('b');
    expect(writes.map((w) => w.text)).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(500);
    output.push('c');
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toHaveLength(1);
    await writes[0]!.answer(true);
    // The interval passed long ago: the waiting text goes at once.
    expect(writes.map((w) => w.text)).toEqual(['a', 'bc']);
    expect(writes[1]!.replace).toBe(false);
    const closed = output.close();
    await writes[1]!.answer(true);
    await closed;
  });

  it('writes sooner when 2,000 characters are waiting', async () => {
    const { writer, writes } = acceptingWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 10_000 });
    output.push('start');
    await vi.advanceTimersByTimeAsync(0);
    output.push('y'.repeat(1999));
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toHaveLength(1);
    output.push('y');
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toHaveLength(2);
    expect(writes[1]!.text).toHaveLength(2000);
    await output.close();
  });

  it('close() drops the text not yet written and waits for the write in flight', async () => {
    const { writer, writes } = manualWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('first');
    await vi.advanceTimersByTimeAsync(0);
    output.push(' second');
    let closed = false;
    const closing = output.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    await writes[0]!.answer(true);
    await closing;
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes.map((w) => w.text)).toEqual(['first']);
    // The whole text stays readable: complete() or cancel() carries it.
    expect(output.text).toBe('first second');
    output.push(' more');
    expect(output.text).toBe('first second');
  });

  it('close({ flush: true }) writes the waiting text as one last piece after the write in flight', async () => {
    const { writer, writes } = manualWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('first');
    await vi.advanceTimersByTimeAsync(0);
    output.push(' second');
    output.push(' third');
    let closed = false;
    const closing = output.close({ flush: true }).then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.map((w) => w.text)).toEqual(['first']);
    await writes[0]!.answer(true);
    expect(writes.map((w) => [w.text, w.replace])).toEqual([
      ['first', true],
      [' second third', false],
    ]);
    expect(closed).toBe(false);
    await writes[1]!.answer(true);
    await closing;
    // Nothing more once closed, however long it waits.
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes).toHaveLength(2);
  });

  it('close({ flush: true }) after a refused write writes nothing more', async () => {
    const { writer, writes } = manualWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('one');
    await vi.advanceTimersByTimeAsync(0);
    output.push(' two');
    await writes[0]!.answer(false);
    await output.close({ flush: true });
    expect(output.stopped).toBe('refused');
    expect(writes.map((w) => w.text)).toEqual(['one']);
  });

  it('a refused write stops it and fires its signal (abort the model call)', async () => {
    const { writer, writes } = manualWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('one');
    await vi.advanceTimersByTimeAsync(0);
    output.push(' two');
    expect(output.signal.aborted).toBe(false);
    await writes[0]!.answer(false);
    expect(output.signal.aborted).toBe(true);
    expect(output.stopped).toBe('refused');
    expect(output.error).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes).toHaveLength(1);
    await output.close();
  });

  it('a reply that would pass 16,000 characters stops it with a non-retryable reply_too_long', async () => {
    const { writer, writes } = acceptingWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('z'.repeat(15_999));
    output.push('z');
    expect(output.stopped).toBeNull();
    output.push('!');
    expect(output.stopped).toBe('too_long');
    expect(output.signal.aborted).toBe(true);
    expect(output.error).toMatchObject({ code: 'reply_too_long', retryable: false });
    expect(output.text).toHaveLength(16_000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes.map((w) => w.text).join('').length).toBeLessThanOrEqual(16_000);
    await output.close();
  });

  it('a write that fails (after the writer gave up retrying) stops it with that error', async () => {
    const { writer, writes } = manualWriter();
    const output = createOutputReporter({ writer, flushIntervalMs: 100 });
    output.push('text');
    await vi.advanceTimersByTimeAsync(0);
    const failure = new Error('permission denied');
    await writes[0]!.answer(failure);
    expect(output.stopped).toBe('write_failed');
    expect(output.error).toBe(failure);
    expect(output.signal.aborted).toBe(true);
    await output.close();
  });
});
