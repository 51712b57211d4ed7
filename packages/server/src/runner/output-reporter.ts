import { endsInsidePair } from './storable-text.js';
import { TaskFailure } from './task-failure.js';

/** Where the reply goes: `task_output` bound to one task attempt (a task context, the n8n relay…). */
export interface OutputWriter {
  /**
   * Appends `text` to the reply written so far, or with `replace` starts it over with `text`.
   * Resolves false when the attempt is no longer live or a cancel was requested: stop writing.
   */
  output(text: string, options: { replace: boolean }): Promise<boolean>;
}

export interface OutputReporterOptions {
  writer: OutputWriter;
  /** At most one write per this interval (`STREAM_FLUSH_INTERVAL_MS`)… */
  flushIntervalMs: number;
  /** …unless this many characters are waiting. */
  flushChars?: number;
  /** A reply longer than this (a message's limit) stops the reporter with `reply_too_long`. */
  maxChars?: number;
  now?: () => number;
}

/** Why a reporter stopped on its own: the writer said no, the reply got too long, or a write failed. */
export type OutputStop = 'refused' | 'too_long' | 'write_failed';

export const REPLY_MAX_CHARS = 16_000;
export const FLUSH_CHARS = 2_000;

/**
 * Turns a model's stream of small deltas into few `task_output` writes. Every accepted write is a
 * row update and a notification that each open stream re-reads, so deltas are coalesced: the first
 * one is written on the next turn of the event loop (the visitor sees the reply start; a reply
 * that came whole is not written twice), later ones at most every
 * `flushIntervalMs`, or sooner once `flushChars` are waiting; never two writes in flight, so they
 * land in order. The first write replaces whatever the attempt had written, so a worker that
 * starts its text over (a retried model call) leaves no stale beginning.
 *
 * It stops, and fires `signal` so the caller aborts its model call, when a write answers false
 * (`refused`: the attempt is over or a cancel was requested), when the reply would pass `maxChars`
 * (`too_long`; `error` is a non-retryable `reply_too_long` failure), or when a write fails
 * (`write_failed`; `error` is what it threw). `close()` ends it: the waiting text is dropped
 * (the final text goes with `task_complete` or `task_cancel`) unless it is asked to flush, the
 * write in flight is awaited.
 *
 * @example
 * const output = createOutputReporter({ writer: ctx, flushIntervalMs: 100 });
 * try {
 *   text = await model.stream(messages, { signal: AbortSignal.any([ctx.signal, output.signal]), onText: output.push });
 * } finally {
 *   await output.close();
 * }
 */
export function createOutputReporter({
  writer,
  flushIntervalMs,
  flushChars = FLUSH_CHARS,
  maxChars = REPLY_MAX_CHARS,
  now = Date.now,
}: OutputReporterOptions) {
  const controller = new AbortController();
  let text = '';
  /** How much of `text` has been handed to the writer. */
  let sent = 0;
  let wroteOnce = false;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let stopped: OutputStop | null = null;
  let error: unknown = null;

  const clearTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  function stop(why: OutputStop, cause: unknown = null) {
    if (stopped) return;
    stopped = why;
    error = cause;
    clearTimer();
    controller.abort(Object.assign(new Error(`output stopped: ${why}`), { name: 'AbortError' }));
  }

  /**
   * How much of `text` may be written now: all of it, except the first half of a surrogate pair
   * whose second half is still to come (written alone, each half would be stored as U+FFFD).
   */
  const writable = () => (endsInsidePair(text) ? text.length - 1 : text.length);

  /** Text is waiting and nothing stops a write of it now. */
  const canWrite = () => !closed && !stopped && !inFlight && sent < writable();

  /** Writes at once when `flushChars` are waiting, else makes sure a timer will when due. */
  function schedule() {
    if (!canWrite()) return;
    if (writable() - sent >= flushChars) {
      clearTimer();
      write();
      return;
    }
    // A write due now still waits for the next turn of the event loop: a model that answers in
    // one piece (or whose last chunk came with its first) has finished by then, and close()
    // drops the write the result makes redundant.
    timer ??= setTimeout(
      () => {
        timer = null;
        if (canWrite()) write();
      },
      Math.max(0, lastWriteAt + flushIntervalMs - now()),
    );
  }

  function write(end = writable()) {
    const replace = !wroteOnce;
    const piece = text.slice(replace ? 0 : sent, end);
    sent = end;
    wroteOnce = true;
    lastWriteAt = now();
    inFlight = writer.output(piece, { replace }).then(
      (ok) => {
        inFlight = null;
        if (!ok) stop('refused');
        else schedule();
      },
      (cause: unknown) => {
        inFlight = null;
        stop('write_failed', cause);
      },
    );
  }

  return {
    /** Adds a piece of the reply (a model's `onText`). Ignored once stopped or closed. */
    push(delta: string): void {
      // NUL cannot be stored (see storableText); a split surrogate pair is held back in write().
      delta = delta.replaceAll('\u0000', '');
      if (closed || stopped || delta === '') return;
      if (text.length + delta.length > maxChars) {
        stop('too_long', new TaskFailure('reply_too_long', `the reply is longer than ${maxChars} characters`, false));
        return;
      }
      text += delta;
      schedule();
    },
    /** Everything pushed so far, written or not (what a Stop keeps). */
    get text() {
      return text;
    },
    /** Fires when the reporter stops on its own: abort the model call. */
    signal: controller.signal,
    get stopped() {
      return stopped;
    },
    /** What to fail the attempt with after a `too_long` or `write_failed` stop; null otherwise. */
    get error() {
      return error;
    },
    /**
     * No more writes: drops the text not yet written (or, with `flush`, writes it as one last
     * piece) and waits for the write in flight. Flush when the final text does not follow at once
     * (the n8n relay: the workflow completes the task after it got the answer).
     */
    async close({ flush = false }: { flush?: boolean } = {}): Promise<void> {
      closed = true;
      clearTimer();
      await inFlight;
      if (flush && !stopped && sent < text.length) {
        write(text.length); // the last piece: nothing more will complete a pair
        await inFlight;
      }
    },
  };
}

export type OutputReporter = ReturnType<typeof createOutputReporter>;
