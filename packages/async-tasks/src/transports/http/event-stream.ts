import { AsyncTaskError } from '../../errors/async-task-error.js';
import type { ResourceKind } from '../../errors/error-from-response.js';
import { backoffDelay } from '../../common/backoff.js';
import type { Unsubscribe } from '../../common/types.js';
import type { ConnectionState } from '../transport.js';
import type { RequestContext } from './request-json.js';
import { createSseParser, type SseEvent } from './sse-parser.js';

export interface EventStreamOptions {
  path: string;
  resource: ResourceKind;
  /** A data event; the first one after every (re)connect is the server's `snapshot`. */
  onEvent(event: SseEvent): void;
  onConnection(state: ConnectionState): void;
  /** The stream cannot go on (400/403/404, or 401 after a refresh); it has stopped. */
  onFatal(error: AsyncTaskError): void;
  /** No bytes (not even a keep-alive comment) for this long means a dead connection. */
  idleTimeoutMs: number;
  /** Registers a call that reconnects at once when the stream is waiting out its backoff. */
  onRetryNow?(listener: () => void): Unsubscribe;
}

/**
 * A server-sent-event subscription over fetch (so the token goes in the Authorization header,
 * never the URL) that never gives up on a transient failure: it reconnects with capped
 * exponential backoff and jitter, resumes with `Last-Event-ID`, waits while offline, reconnects
 * at once when the device comes online or the page becomes visible. The token goes through the
 * transport's one authorised fetch (one refresh on 401); the server's `expired` event asks it for
 * a fresh token on the reconnect that follows.
 */
export function openEventStream(ctx: RequestContext, options: EventStreamOptions): Unsubscribe {
  const { env } = ctx;
  let stopped = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let lastEventId = '';
  let failures = 0;
  let refreshToken = false; // set by the server's `expired` event
  let state: ConnectionState | null = null;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    options.onConnection(next);
  };
  const abort = () => {
    clearTimeout(idle);
    const current = controller;
    controller = null;
    current?.abort();
  };
  const retryLater = () => {
    abort();
    if (stopped) return;
    if (!env.isOnline()) return setState('offline');
    setState('reconnecting');
    clearTimeout(timer);
    timer = setTimeout(connect, backoffDelay(failures++, ctx.backoff));
  };
  const now = () => {
    if (stopped || controller) return;
    clearTimeout(timer);
    failures = 0;
    void connect();
  };

  async function connect() {
    if (stopped || controller) return;
    if (!env.isOnline()) return setState('offline');
    const own = new AbortController();
    controller = own;
    setState(state ? 'reconnecting' : 'connecting');
    try {
      const res = await ctx.fetch(
        options.path,
        {
          headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          cache: 'no-store',
          signal: own.signal,
        },
        { resource: options.resource, refresh: refreshToken },
      );
      refreshToken = false;
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const parser = createSseParser((event) => {
        if (controller !== own) return;
        if (event.type === 'expired') {
          refreshToken = true; // the server closes next; the reconnect brings a fresh token
          return;
        }
        lastEventId = event.lastEventId || lastEventId;
        options.onEvent(event);
        if (event.type === 'snapshot') {
          failures = 0;
          setState('live');
        }
      });
      for (;;) {
        // No bytes, not even a keep-alive comment, for idleTimeoutMs: a dead connection.
        clearTimeout(idle);
        idle = setTimeout(() => controller === own && retryLater(), options.idleTimeoutMs);
        const { done, value } = await reader.read();
        if (done || controller !== own) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
      if (controller === own) retryLater(); // the server closed the stream
    } catch (error) {
      if (controller !== own) return; // we aborted it on purpose
      if (AsyncTaskError.isInstance(error) && !error.retryable) return fail(error);
      retryLater();
    }
  }

  function fail(error: AsyncTaskError) {
    abort();
    stop();
    setState('offline');
    options.onFatal(error);
  }

  const offListeners = [
    env.onConnectivity('online', now),
    env.onConnectivity('offline', () => {
      abort();
      clearTimeout(timer);
      if (!stopped) setState('offline');
    }),
    env.onVisible(now),
    options.onRetryNow?.(now),
  ];
  function stop() {
    stopped = true;
    clearTimeout(timer);
    abort();
    for (const off of offListeners) off?.();
  }

  void connect();
  return stop;
}
