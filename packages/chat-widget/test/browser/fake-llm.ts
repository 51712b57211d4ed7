import { createServer, type Server } from 'node:http';

/**
 * A stand-in for the paid LLM API speaking OpenAI's chat-completions wire format. The reply
 * depends on the last user message: `[fail]` answers 400 once per message (the server treats it
 * as not retryable), `[hold]` waits until `release()` (or the caller aborts); anything else
 * answers at once with "Fake LLM says: <message>".
 */
export async function startFakeLlm(port: number) {
  const failed = new Set<string>();
  const held = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { messages = [] } = JSON.parse(body || '{}') as { messages?: Array<{ role: string; content: string }> };
      const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: `Fake LLM says: ${last}` }, finish_reason: 'stop' }],
          }),
        );
      };
      if (last.includes('[fail]') && !failed.has(last)) {
        failed.add(last);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'injected failure', type: 'invalid_request_error' } }));
      } else if (last.includes('[hold]')) {
        const go = () => {
          held.delete(go);
          if (!res.destroyed) answer();
        };
        held.add(go);
        req.socket.on('close', () => held.delete(go));
      } else {
        answer();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}/v1`,
    /** Answers every held request. */
    release: () => {
      for (const go of [...held]) go();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
