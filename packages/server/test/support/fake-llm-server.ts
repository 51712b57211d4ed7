import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** One scripted answer of the fake server. */
export interface FakeLlmStep {
  /** HTTP status; 200 by default. */
  status?: number;
  /** Reply text for a 200 (default: "Echo: <last user message>"). */
  content?: string;
  /** Raw JSON body instead of the OpenAI-shaped one (sent as JSON even to a `stream: true` request). */
  body?: unknown;
  /** Wait this long before answering (for a stream: before the first chunk). */
  delayMs?: number;
  /** `Retry-After` header value (e.g. "1"). */
  retryAfter?: string;
  /** Never answer (until the client aborts or the server closes). */
  hang?: boolean;
  /** Answer a `stream: true` request with plain JSON, like an endpoint that does not stream. */
  ignoreStream?: boolean;
  /** Stream: characters per content chunk (default: one word per chunk). */
  chunkSize?: number;
  /** Stream: the reply in this many content chunks instead (`chunkSize` wins when both are set). */
  chunks?: number;
  /** Stream: content chunks per second (default: as fast as the connection takes them). */
  chunksPerSecond?: number;
  /** Stream: destroy the connection after this many content chunks (no finish_reason, no [DONE]). */
  cutAfterChunks?: number;
  /** Stream: after this many content chunks (or after each count of a list), wait for `release()` (or for the client to leave). */
  holdAfterChunks?: number | number[];
  /** Stream: after this many content chunks, send a `data:` line that is not JSON, then go on. */
  malformedAfterChunks?: number;
  /** Stream: end the response cleanly after the content, but with no finish_reason and no [DONE]. */
  endWithoutDone?: boolean;
}

export interface FakeLlmRequest {
  headers: IncomingMessage['headers'];
  body: { model?: string; messages?: Array<{ role: string; content: string }>; stream?: boolean } & Record<string, unknown>;
  /** True when the client closed the connection before the answer was complete (not when the fake cut it). */
  aborted: boolean;
  /** True when the answer was a `text/event-stream`. */
  streamed: boolean;
  /** Content chunks written so far (streams only). */
  chunksSent: number;
  /** When each content chunk was handed to the socket (ms since the epoch, streams only). */
  chunkSentAt: number[];
}

export interface FakeLlmServer {
  /** Base URL to use as `LLM_BASE_URL`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  /** Every request to `/v1/chat/completions`, in order. */
  requests: FakeLlmRequest[];
  /** Queues steps; each request takes the next one, then `fallback` is used. */
  enqueue(...steps: FakeLlmStep[]): void;
  /** The step used when the queue is empty (default: 200 with an echo). */
  setFallback(step: FakeLlmStep): void;
  /** Lets every stream held by `holdAfterChunks` go on. */
  release(): void;
  close(): Promise<void>;
}

const reply = (content: string, model = 'fake-model') => ({
  id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
  object: 'chat.completion',
  created: Math.floor(Date.now() / 1000),
  model,
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

/** Splits the reply as a model's tokens would come: words (with the whitespace after them) or fixed sizes. */
function pieces(content: string, { chunkSize, chunks }: FakeLlmStep): string[] {
  const size = chunkSize ?? (chunks ? Math.ceil(content.length / chunks) : 0);
  if (size > 0) return Array.from({ length: Math.ceil(content.length / size) }, (_, i) => content.slice(i * size, (i + 1) * size));
  return content.match(/\s*\S+\s*/gy) ?? [content];
}

/**
 * A fake OpenAI-compatible chat-completions server on 127.0.0.1 with a random port: real HTTP,
 * scripted statuses, delays, `Retry-After`, hangs, and real SSE streams for `stream: true`
 * requests (role chunk, content chunks at a set rate, finish chunk, usage chunk, `[DONE]`) that
 * can be cut, held, or broken. Records whether the client left before the end. For tests, e2e
 * and benchmarks.
 *
 * @example
 * const llm = await startFakeLlmServer();
 * llm.enqueue({ status: 500 }, { content: 'Hello there!', chunksPerSecond: 20 });
 * // LLM_BASE_URL=llm.url LLM_API_KEY=test
 * await llm.close();
 */
export async function startFakeLlmServer({ port = 0, host = '127.0.0.1' }: { port?: number; host?: string } = {}): Promise<FakeLlmServer> {
  const queue: FakeLlmStep[] = [];
  let fallback: FakeLlmStep = {};
  const requests: FakeLlmRequest[] = [];
  const open = new Set<ServerResponse>();
  const held = new Set<() => void>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    let body: FakeLlmRequest['body'];
    try {
      body = JSON.parse(raw) as FakeLlmRequest['body'];
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'invalid JSON' } }));
      return;
    }
    const record: FakeLlmRequest = { headers: req.headers, body, aborted: false, streamed: false, chunksSent: 0, chunkSentAt: [] };
    requests.push(record);
    open.add(res);
    // Aborted when the connection closes before the answer was complete, unless the fake itself cut it.
    const closed = new AbortController();
    let cutHere = false;
    res.on('close', () => {
      open.delete(res);
      if (!res.writableFinished && !cutHere) record.aborted = true;
      closed.abort();
    });
    const step = queue.shift() ?? fallback;
    if (step.hang) return;
    if (step.delayMs) await delay(step.delayMs, undefined, { signal: closed.signal }).catch(() => {});
    if (res.destroyed) return;
    const status = step.status ?? 200;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (step.retryAfter) headers['retry-after'] = step.retryAfter;
    if (status !== 200) {
      res.writeHead(status, headers).end(JSON.stringify(step.body ?? { error: { message: `scripted ${status}`, code: status } }));
      return;
    }
    const lastUser = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '';
    const content = step.content ?? `Echo: ${lastUser}`;
    if (!body.stream || step.body !== undefined || step.ignoreStream) {
      res.writeHead(200, headers).end(JSON.stringify(step.body ?? reply(content, body.model)));
      return;
    }
    record.streamed = true;
    await streamReply(res, record, step, content, closed.signal, () => {
      cutHere = true;
      res.destroy();
    });
  }

  async function streamReply(
    res: ServerResponse,
    record: FakeLlmRequest,
    step: FakeLlmStep,
    content: string,
    closed: AbortSignal,
    cut: () => void,
  ) {
    const base = {
      id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
      object: 'chat.completion.chunk',
      created: 0,
      model: record.body.model ?? 'fake-model',
    };
    const choice = (delta: object, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
    // Waits until the event is handed to the socket, so a cut after it still delivers it.
    const send = (line: string) => new Promise<void>((resolve) => res.write(`${line}\n\n`, () => resolve()));
    const intervalMs = step.chunksPerSecond ? 1000 / step.chunksPerSecond : 0;

    // What the step scripts after `chunksSent` content chunks (0 = right after the role chunk); false once the stream is over.
    const scripted = async (): Promise<boolean> => {
      if (record.chunksSent === step.cutAfterChunks) {
        cut();
        return false;
      }
      if (record.chunksSent === step.malformedAfterChunks) await send('data: {"choices":[{"delta":{"content":');
      if ([step.holdAfterChunks].flat().includes(record.chunksSent)) await hold(closed);
      return !res.destroyed;
    };

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    await send(`data: ${JSON.stringify(choice({ role: 'assistant', content: '' }))}`);
    if (!(await scripted())) return;
    // Chunk i is due at start + i × interval: a late timer or a slow write delays that chunk,
    // not every one after it (waiting the interval after each write would drift the rate down).
    const startedAt = performance.now();
    for (const [i, piece] of pieces(content, step).entries()) {
      const wait = startedAt + i * intervalMs - performance.now();
      if (i > 0 && intervalMs && wait > 0) await delay(wait, undefined, { signal: closed }).catch(() => {});
      if (res.destroyed) return;
      await send(`data: ${JSON.stringify(choice({ content: piece }))}`);
      record.chunksSent++;
      record.chunkSentAt.push(Date.now());
      if (!(await scripted())) return;
    }
    if (step.endWithoutDone) return void res.end();
    await send(`data: ${JSON.stringify(choice({}, 'stop'))}`);
    // Like OpenRouter: a last chunk with usage and no choices.
    await send(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}`);
    res.end('data: [DONE]\n\n');
  }

  function hold(closed: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (closed.aborted) return resolve();
      const go = () => {
        held.delete(go);
        resolve();
      };
      held.add(go);
      closed.addEventListener('abort', go, { once: true });
    });
  }

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/v1`,
    requests,
    enqueue: (...steps) => void queue.push(...steps),
    setFallback: (step) => {
      fallback = step;
    },
    release: () => {
      for (const go of [...held]) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// `node --import tsx packages/server/test/support/fake-llm-server.ts [port]` runs it standalone.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const server = await startFakeLlmServer({ port: Number(process.argv[2] ?? 0) });
  console.log(`Fake LLM listening at ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
