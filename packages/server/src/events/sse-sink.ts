import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** Where an event stream writes: text in SSE framing, in order; `closed` once the client left. */
export interface SseSink {
  /** Resolves once the text is handed on (after `drain` when the socket's buffer was full). */
  write(text: string): Promise<void>;
  readonly closed: boolean;
  /** Called once when the client leaves or the response ends. */
  onClose(listener: () => void): void;
}

/** One event in SSE framing: `event:`, `id:`, and one `data:` line per line of the JSON. */
export function sseEvent(event: string, data: string, id?: string): string {
  const lines = data.includes('\n') ? data.split('\n') : [data];
  let text = `event: ${event}\n`;
  for (const line of lines) text += `data: ${line}\n`;
  if (id !== undefined) text += `id: ${id}\n`;
  return `${text}\n`;
}

/** The marker @hono/node-server reads on a response the handler writes itself. */
const ALREADY_SENT = 'x-hono-already-sent';

/**
 * Opens the stream and hands `run` its sink. On Node (`@hono/node-server`, whose context carries
 * the `ServerResponse`) the events are written to the socket directly: an idle stream then costs
 * its socket, its feed and two timers, without a web ReadableStream, TransformStream, writer and
 * reader loop between them (most of an idle stream's memory). The head is written once every
 * middleware has added its headers (after the handler returned). Elsewhere (`app.request()` in
 * tests) Hono's own `streamSSE` carries it.
 */
export function openSse(
  c: Context,
  run: (sink: SseSink) => Promise<void>,
  onError: (error: unknown) => void,
): Response | Promise<Response> {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing || typeof outgoing.writeHead !== 'function') {
    return streamSSE(
      c,
      async (stream) => {
        const listeners: Array<() => void> = [];
        const sink: SseSink = {
          write: (text) => stream.write(text).then(() => undefined),
          get closed() {
            return stream.aborted || stream.closed;
          },
          onClose: (listener) => void listeners.push(listener),
        };
        stream.onAbort(() => {
          for (const l of listeners.splice(0)) l();
        });
        await run(sink);
      },
      async (error) => onError(error),
    );
  }

  c.header('content-type', 'text/event-stream');
  c.header(ALREADY_SENT, 'true');
  const response = c.body(null, 200);
  setImmediate(() => {
    const headers: Record<string, string> = {};
    c.res.headers.forEach((value, name) => {
      if (name !== ALREADY_SENT && name !== 'content-length') headers[name] = value;
    });
    // From here on nothing holds the request's context: an open stream keeps only its socket.
    streamToNode(outgoing, headers, run, onError);
  });
  return response;
}

function streamToNode(
  outgoing: ServerResponse,
  headers: Record<string, string>,
  run: (sink: SseSink) => Promise<void>,
  onError: (error: unknown) => void,
) {
  let closed = outgoing.destroyed || outgoing.writableEnded;
  const listeners: Array<() => void> = [];
  outgoing.once('close', () => {
    closed = true;
    for (const l of listeners.splice(0)) l();
  });
  if (!closed) {
    outgoing.writeHead(200, headers);
    outgoing.flushHeaders();
  }
  const sink: SseSink = {
    write: (text) =>
      new Promise<void>((resolve) => {
        if (closed || outgoing.write(text)) return resolve();
        const done = () => {
          outgoing.off('drain', done);
          outgoing.off('close', done);
          resolve();
        };
        outgoing.once('drain', done);
        outgoing.once('close', done);
      }),
    get closed() {
      return closed;
    },
    onClose: (listener) => {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
  run(sink)
    .catch(onError)
    .finally(() => {
      if (!outgoing.writableEnded) outgoing.end();
    });
}
