import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatMessage, TaskSnapshot } from '../src/contract/index.js';
import { snapshot } from './fixtures.js';

interface Stream {
  kind: 'task' | 'conversation';
  id: string;
  res: ServerResponse;
}
export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  lastEventId: string | undefined;
}

/**
 * A small server on 127.0.0.1 that follows contracts.md §2 (sessions, chat, tasks, SSE with
 * `id: <seq>` and Last-Event-ID), with test controls: the test moves tasks itself, cuts streams,
 * revokes tokens and injects 5xx answers.
 */
export async function startContractServer() {
  let seq = 0;
  let counter = 0;
  const tokens = new Map<string, { userId: string; revoked: boolean }>();
  const refreshTokens = new Map<string, string>(); // refresh → userId
  const tasks = new Map<string, TaskSnapshot & { seq: number }>();
  const messages: ChatMessage[] = [];
  const keys = new Map<string, unknown>();
  const streams = new Set<Stream>();
  const requests: RecordedRequest[] = [];
  let failures: number[] = [];

  const issue = (userId: string) => {
    counter += 1;
    const session = {
      accessToken: `at-${counter}`,
      refreshToken: `rt-${counter}`,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      userId,
    };
    tokens.set(session.accessToken, { userId, revoked: false });
    refreshTokens.set(session.refreshToken, userId);
    return session;
  };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });
  const readBody = async (req: IncomingMessage) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  };
  const wire = ({ seq: _seq, ...task }: TaskSnapshot & { seq: number }): TaskSnapshot => task;
  const write = (s: Stream, event: string, id: number, data: unknown) =>
    s.res.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
  const conversationRows = (id: string, after: number) => ({
    messages: messages.filter((m) => m.conversationId === id && m.seq > after),
    tasks: [...tasks.values()]
      .filter((t) => t.conversationId === id && (t.seq > after || !['completed', 'failed', 'cancelled'].includes(t.status)))
      .map(wire),
  });

  const changeTask = (id: string, change: Partial<TaskSnapshot>) => {
    const prev = tasks.get(id)!;
    seq += 1;
    const next = { ...prev, ...change, version: prev.version + 1, seq, updatedAt: new Date().toISOString() };
    tasks.set(id, next);
    for (const s of streams) {
      if ((s.kind === 'task' && s.id === id) || (s.kind === 'conversation' && s.id === next.conversationId))
        write(s, 'task', seq, wire(next));
    }
    return next;
  };
  const addMessage = (conversationId: string, role: ChatMessage['role'], content: string, asyncTaskId: string | null) => {
    seq += 1;
    const message: ChatMessage = { id: `m-${seq}`, conversationId, role, content, asyncTaskId, createdAt: new Date().toISOString(), seq };
    messages.push(message);
    for (const s of streams) if (s.kind === 'conversation' && s.id === conversationId) write(s, 'message', seq, message);
    return message;
  };
  const insertTask = (kind: string, conversationId: string | null) => {
    seq += 1;
    const task = { ...snapshot({ id: `t-${seq}`, kind, conversationId }), seq };
    tasks.set(task.id, task);
    return task;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      lastEventId: req.headers['last-event-id'] as string | undefined,
    });
    const failure = failures.shift();
    if (failure) return error(res, failure, 'injected', `Injected ${failure}`);
    if (req.method === 'POST' && path === '/api/session') return send(res, 201, issue(`u-${counter + 1}`));
    if (req.method === 'POST' && path === '/api/session/refresh') {
      const body = await readBody(req);
      const userId = refreshTokens.get(String(body.refreshToken));
      if (!userId) return error(res, 401, 'invalid_refresh_token', 'Unknown refresh token');
      refreshTokens.delete(String(body.refreshToken));
      return send(res, 200, issue(userId));
    }
    const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const who = tokens.get(bearer);
    if (!who || who.revoked) return error(res, 401, 'unauthorized', 'Missing or expired token');

    let m: RegExpMatchArray | null;
    if (req.method === 'POST' && path === '/api/chat/send') {
      const body = await readBody(req);
      const content = String(body.content ?? '');
      if (!content || content.length > 16000) return error(res, 400, 'invalid_content', 'A message has 1 to 16000 characters.');
      const key = `chat:${body.idempotencyKey}`;
      if (keys.has(key)) return send(res, 200, keys.get(key));
      const conversationId = (body.conversationId as string | undefined) ?? `c-${++counter}`;
      const task = insertTask('chat.reply', conversationId);
      const message = addMessage(conversationId, 'user', content, task.id);
      for (const s of streams) if (s.kind === 'conversation' && s.id === conversationId) write(s, 'task', task.seq, wire(task));
      const result = { conversationId, message, task: wire(task) };
      keys.set(key, result);
      return send(res, 201, result);
    }
    if (req.method === 'POST' && path === '/api/tasks') {
      const body = await readBody(req);
      const key = `task:${body.idempotencyKey}`;
      if (!keys.has(key)) keys.set(key, wire(insertTask(String(body.kind), null)));
      return send(res, 201, keys.get(key));
    }
    m = path.match(/^\/api\/tasks\/([^/]+)(\/stream|\/cancel|\/retry)?$/);
    if (m) {
      const task = tasks.get(decodeURIComponent(m[1]!));
      if (!task) return error(res, 404, 'not_found', 'task not found');
      if (m[2] === '/cancel') return send(res, 200, wire(changeTask(task.id, { status: 'cancelled' })));
      if (m[2] === '/retry')
        return send(res, 200, wire(task.status === 'failed' ? changeTask(task.id, { status: 'pending', error: null }) : task));
      if (m[2] === '/stream') return openStream(res, { kind: 'task', id: task.id, res }, task.seq, wire(task));
      return send(res, 200, wire(task));
    }
    m = path.match(/^\/api\/conversations\/([^/]+)(\/stream)?$/);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      if (!messages.some((msg) => msg.conversationId === id)) return error(res, 404, 'not_found', 'conversation not found');
      if (m[2]) {
        const after = Number(req.headers['last-event-id'] ?? 0);
        return openStream(res, { kind: 'conversation', id, res }, seq, conversationRows(id, after));
      }
      const before = Number(url.searchParams.get('before') ?? Number.POSITIVE_INFINITY);
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const all = messages.filter((msg) => msg.conversationId === id && msg.seq < before);
      const page = all.slice(-limit);
      const ids = new Set(page.map((msg) => msg.asyncTaskId));
      const pageTasks = [...tasks.values()].filter(
        (t) => t.conversationId === id && (ids.has(t.id) || !['completed', 'failed', 'cancelled'].includes(t.status)),
      );
      return send(res, 200, {
        conversationId: id,
        messages: page,
        tasks: pageTasks.map(wire),
        nextBefore: page.length < all.length ? page[0]!.seq : null,
      });
    }
    return error(res, 404, 'not_found', 'no such route');
  });

  function openStream(res: ServerResponse, stream: Stream, id: number, first: unknown) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write(': hello\n\n');
    write(stream, 'snapshot', id, first);
    streams.add(stream);
    res.on('close', () => streams.delete(stream));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    streamCount: () => streams.size,
    tasks: () => [...tasks.values()].map(wire),
    messages: () => [...messages],
    progress: (id: string, statusMessage: string) => changeTask(id, { status: 'processing', statusMessage }),
    /**
     * The reply grew by `text`: sent as an `output` event (from the end of the text the streams
     * carried, which is all of it: every open stream has carried every change).
     */
    output(id: string, text: string) {
      const prev = tasks.get(id)!;
      const from = prev.partialText?.length ?? 0;
      seq += 1;
      const next = {
        ...prev,
        partialText: (prev.partialText ?? '') + text,
        version: prev.version + 1,
        seq,
        updatedAt: new Date().toISOString(),
      };
      tasks.set(id, next);
      const output = { taskId: id, version: next.version, updatedAt: next.updatedAt, from, text };
      for (const s of streams) {
        if ((s.kind === 'task' && s.id === id) || (s.kind === 'conversation' && s.id === next.conversationId))
          write(s, 'output', seq, output);
      }
      return output;
    },
    /** Writes raw SSE text to every open stream (to send what a server should not). */
    writeRaw(text: string) {
      for (const s of streams) s.res.write(text);
    },
    complete(id: string, content = 'Done') {
      const task = changeTask(id, { status: 'completed', statusMessage: null, partialText: null, result: { content } });
      if (task.conversationId) addMessage(task.conversationId, 'assistant', content, id);
      return wire(task);
    },
    fail: (id: string, message = 'Boom') => changeTask(id, { status: 'failed', error: { code: 'boom', message, retryable: false } }),
    /** Destroy every open stream, as a proxy or a flaky network would. */
    cutStreams() {
      for (const s of streams) s.res.destroy();
      streams.clear();
    },
    /** Make every token issued so far invalid (like expiry), so the next request gets 401. */
    revokeTokens() {
      for (const t of tokens.values()) t.revoked = true;
    },
    /** Send `expired` then close on every stream, as the server does when a token expires. */
    expireStreams() {
      for (const s of streams) s.res.end('event: expired\ndata: {}\n\n');
      streams.clear();
    },
    failNext(...statuses: number[]) {
      failures = failures.concat(statuses);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ContractServer = Awaited<ReturnType<typeof startContractServer>>;
