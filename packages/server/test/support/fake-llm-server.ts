import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake server. */
export interface FakeLlmStep {
  /** HTTP status; 200 by default. */
  status?: number;
  /** Reply text for a 200 (default: "Echo: <last user message>"). */
  content?: string;
  /** Raw JSON body instead of the OpenAI-shaped one. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
  /** `Retry-After` header value (e.g. "1"). */
  retryAfter?: string;
  /** Never answer (until the client aborts or the server closes). */
  hang?: boolean;
  /** For `stream: true` requests: the reply is sent in this many SSE chunks, `delayMs` apart. */
  chunks?: number;
}

export interface FakeLlmRequest {
  headers: IncomingMessage['headers'];
  body: { model?: string; messages?: Array<{ role: string; content: string }>; stream?: boolean } & Record<string, unknown>;
  /** True when the client went away before the answer was sent. */
  aborted: boolean;
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

/**
 * A fake OpenAI-compatible chat-completions server on 127.0.0.1 with a random port: real HTTP,
 * scripted statuses, delays, `Retry-After`, hangs and slow streams. For tests, e2e and benchmarks.
 *
 * @example
 * const llm = await startFakeLlmServer();
 * llm.enqueue({ status: 500 }, { content: 'Hello!' });
 * // LLM_BASE_URL=llm.url LLM_API_KEY=test
 * await llm.close();
 */
export async function startFakeLlmServer({ port = 0, host = '127.0.0.1' }: { port?: number; host?: string } = {}): Promise<FakeLlmServer> {
  const queue: FakeLlmStep[] = [];
  let fallback: FakeLlmStep = {};
  const requests: FakeLlmRequest[] = [];
  const open = new Set<ServerResponse>();

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
    const record: FakeLlmRequest = { headers: req.headers, body, aborted: false };
    requests.push(record);
    open.add(res);
    res.on('close', () => {
      open.delete(res);
      if (!res.writableFinished) record.aborted = true;
    });
    const step = queue.shift() ?? fallback;
    if (step.hang) return;
    if (step.delayMs && !step.chunks) await new Promise((r) => setTimeout(r, step.delayMs));
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
    if (body.stream) {
      await streamReply(res, content, step.chunks ?? 1, step.delayMs ?? 0);
      return;
    }
    res.writeHead(200, headers).end(JSON.stringify(step.body ?? reply(content, body.model)));
  }

  async function streamReply(res: ServerResponse, content: string, parts: number, delayMs: number) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const size = Math.ceil(content.length / parts);
    for (let i = 0; i < content.length && !res.destroyed; i += size) {
      const delta = { choices: [{ index: 0, delta: { content: content.slice(i, i + size) }, finish_reason: null }] };
      res.write(`data: ${JSON.stringify(delta)}\n\n`);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    }
    if (!res.destroyed) res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/v1`,
    requests,
    enqueue: (...steps) => void queue.push(...steps),
    setFallback: (step) => void (fallback = step),
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
