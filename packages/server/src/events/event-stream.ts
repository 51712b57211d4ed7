import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { openSse, sseEvent } from './sse-sink.js';

/** Writes one data event; calls are queued so events keep their order. */
export type SendEvent = (event: string, data: unknown, id?: number) => void;

export interface EventStreamOptions {
  /** When the caller's token expires (ms since the epoch): `expired` is sent, then the stream closes. */
  expiresAtMs: number;
  keepAliveMs?: number;
  now?: () => number;
  logger?: Logger;
  /** Runs once when the stream has closed (e.g. to free a per-visitor slot). */
  onClosed?: () => void;
  /** Counts the open streams and the events written. */
  metrics?: Pick<ServerMetrics, 'streamOpened' | 'sseEventSent'>;
  /** Starts feeding the stream; returns the cleanup to run when it closes. */
  start(send: SendEvent, close: () => void): Promise<() => void>;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A server-sent-event response with the contract's plumbing: ordered writes, a `: keep-alive`
 * comment every 15 s, `event: expired` and close at token expiry, cleanup on disconnect.
 *
 * @example
 * return openEventStream(c, { expiresAtMs, start: async (send) => { send('snapshot', row, 1); return () => {}; } });
 */
export function openEventStream(
  c: Context,
  { expiresAtMs, keepAliveMs = 15_000, now = Date.now, logger, start, onClosed, metrics }: EventStreamOptions,
) {
  c.header('cache-control', 'no-cache, no-transform');
  c.header('x-accel-buffering', 'no');
  return openSse(
    c,
    async (sink) => {
      const streamClosed = metrics?.streamOpened();
      let closed = false;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const close = () => {
        if (closed) return;
        closed = true;
        finish();
      };
      sink.onClose(close);

      let writing: Promise<unknown> = Promise.resolve();
      const enqueue = (write: () => Promise<unknown>) => {
        writing = writing
          .then(() => (closed || sink.closed ? undefined : write()))
          .catch((error: unknown) => {
            logger?.debug({ err: error }, 'SSE write failed; closing');
            close();
          });
        return writing;
      };
      const send: SendEvent = (event, data, id) =>
        void enqueue(async () => {
          await sink.write(sseEvent(event, JSON.stringify(data), id === undefined ? undefined : String(id)));
          metrics?.sseEventSent(event);
        });

      const keepAlive = setInterval(() => void enqueue(() => sink.write(': keep-alive\n\n')), keepAliveMs);
      const expiry = setTimeout(
        () => {
          void enqueue(async () => {
            await sink.write(sseEvent('expired', JSON.stringify({ reason: 'token_expired' })));
            metrics?.sseEventSent('expired');
          }).then(close);
        },
        Math.min(MAX_TIMER_MS, Math.max(0, expiresAtMs - now())),
      );

      let cleanup: () => void = () => {};
      try {
        cleanup = await start(send, close);
        await finished;
      } finally {
        clearInterval(keepAlive);
        clearTimeout(expiry);
        cleanup();
        await writing;
        streamClosed?.();
        onClosed?.();
      }
    },
    (error) => logger?.error({ err: error }, 'SSE stream failed'),
  );
}
