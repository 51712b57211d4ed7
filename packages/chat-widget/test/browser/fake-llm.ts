import { createServer, type ServerResponse } from 'node:http';

/**
 * A stand-in for the paid LLM API speaking OpenAI's chat-completions wire format: a streamed
 * reply (`text/event-stream` chunks, then `[DONE]`) when the request asks for `stream: true`, one
 * JSON completion otherwise. The reply is "Fake LLM says: <message>" and depends on the last user
 * message: `[fail]` answers 400 once per message (the server treats it as not retryable), `[hold]`
 * waits for `release()` before anything, `[pause]` streams "… Part one." then waits for
 * `release()` before " Part two." (or until the caller aborts).
 */
export async function startFakeLlm(port: number) {
  const failed = new Set<string>();
  const held = new Set<() => void>();
  /** Resolves on `release()`, or when the connection closes. */
  const hold = (res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const go = () => {
        held.delete(go);
        resolve();
      };
      held.add(go);
      res.on('close', go);
    });

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', async () => {
      const { messages = [], stream = false } = JSON.parse(body || '{}') as {
        messages?: Array<{ role: string; content: string }>;
        stream?: boolean;
      };
      const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      if (last.includes('[fail]') && !failed.has(last)) {
        failed.add(last);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'injected failure', type: 'invalid_request_error' } }));
        return;
      }
      if (last.includes('[hold]')) await hold(res);
      const paused = last.includes('[pause]');
      const parts = paused ? [`Fake LLM says: ${last}. Part one.`, ' Part two.'] : [`Fake LLM says: ${last}`];
      if (res.destroyed) return;
      if (!stream) {
        if (paused) await hold(res);
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: parts.join('') }, finish_reason: 'stop' }],
          }),
        );
        return;
      }
      const chunk = (delta: object, finish: string | null = null) =>
        `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(chunk({ role: 'assistant', content: '' }));
      for (const [i, part] of parts.entries()) {
        if (i > 0) await hold(res);
        // Word by word, as a model's tokens come.
        for (const word of part.match(/\s*\S+/g) ?? []) {
          if (res.destroyed) return;
          res.write(chunk({ content: word }));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      if (res.destroyed) return;
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}/v1`,
    /** How many requests are held, waiting for `release()`. */
    waiting: () => held.size,
    /** Lets every held request go on. */
    release: () => {
      for (const go of [...held]) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
