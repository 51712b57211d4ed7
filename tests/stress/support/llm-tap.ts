import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One content chunk of a streamed model answer, as it passed the tap. */
export interface TappedChunk {
  /** Length of the reply up to and including this chunk (UTF-16 code units, as the text grows). */
  end: number;
  /** When it passed, in epoch milliseconds with sub-millisecond precision (`performance.timeOrigin + performance.now()`). */
  at: number;
}

/** What the model sent for one request, keyed by the last user message it answers. */
export interface TappedAnswer {
  question: string;
  streamed: boolean;
  chunks: TappedChunk[];
}

/** The bench's clock: epoch milliseconds with sub-millisecond precision, comparable with `Date.now()` and PostgreSQL's `now()`. */
export const nowMs = () => performance.timeOrigin + performance.now();

/**
 * An HTTP proxy in front of the fake model that writes down when each content chunk of a
 * streamed answer went by, on its way to the server, so a chunk's latency can be measured from
 * the moment the model sent it. It forwards every byte as it comes (the server sees the same
 * stream, one loopback hop later) and parses a copy: `data:` lines whose
 * `choices[0].delta.content` is not empty are chunks; a plain JSON answer is one chunk holding
 * the whole reply, timed at its last byte.
 */
export async function startLlmTap(upstreamUrl: string) {
  const upstream = new URL(upstreamUrl);
  const answers = new Map<string, TappedAnswer>();

  const server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(body);
      let question = '';
      try {
        const messages = (JSON.parse(raw.toString('utf8')) as { messages?: Array<{ role: string; content: string }> }).messages ?? [];
        question = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      } catch {
        // Not JSON: forwarded as it is, the fake answers it.
      }
      const answer: TappedAnswer = { question, streamed: false, chunks: [] };
      answers.set(question, answer);
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          answer.streamed = upstreamRes.headers['content-type']?.includes('text/event-stream') ?? false;
          let buffer = '';
          let length = 0;
          upstreamRes.setEncoding('utf8');
          upstreamRes.on('data', (text: string) => {
            const at = nowMs();
            res.write(text);
            buffer += text;
            if (!answer.streamed) return;
            for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
              const event = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              const content = chunkContent(event);
              if (!content) continue;
              length += content.length;
              answer.chunks.push({ end: length, at });
            }
          });
          upstreamRes.on('end', () => {
            // A plain JSON answer is one piece: the whole reply, when its last byte went by.
            if (!answer.streamed) {
              const content = wholeContent(buffer);
              if (content) answer.chunks.push({ end: content.length, at: nowMs() });
            }
            res.end();
          });
          upstreamRes.on('error', () => res.destroy());
        },
      );
      // The server left (Stop, deadline): the model's connection closes too, as it would.
      res.on('close', () => forward.destroy());
      forward.on('error', () => res.destroy());
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** Use as LLM_BASE_URL (same path as the upstream's). */
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type LlmTap = Awaited<ReturnType<typeof startLlmTap>>;

function wholeContent(body: string): string {
  try {
    return (JSON.parse(body) as { choices?: Array<{ message?: { content?: string } }> }).choices?.[0]?.message?.content ?? '';
  } catch {
    return '';
  }
}

function chunkContent(event: string): string {
  const line = event.split('\n').find((l) => l.startsWith('data:'));
  if (!line) return '';
  try {
    const data = JSON.parse(line.slice(5)) as { choices?: Array<{ delta?: { content?: string } }> };
    return data.choices?.[0]?.delta?.content ?? '';
  } catch {
    return ''; // `[DONE]`
  }
}
