import { randomUUID } from 'node:crypto';
import type { ConversationPage, SendChatResult, TaskSnapshot, UploadResult } from '@app/async-tasks/contract';

/**
 * A visitor of the reference server, speaking its HTTP API (contracts.md section 2). Given several
 * replicas, each request goes to the next one, as a load balancer without sticky sessions sends them.
 */
export async function createVisitor(baseUrls: string | string[]) {
  const urls = typeof baseUrls === 'string' ? [baseUrls] : baseUrls;
  let next = 0;
  const baseUrl = () => urls[next++ % urls.length]!;
  const call = async <T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const session = await call<{ accessToken: string }>('POST', '/api/session', null, {});
  const token = session.accessToken;
  return {
    send: (content: string, conversationId?: string, attachmentIds?: string[]) =>
      call<SendChatResult>('POST', '/api/chat/send', token, {
        content,
        idempotencyKey: randomUUID(),
        ...(conversationId ? { conversationId } : {}),
        ...(attachmentIds ? { attachmentIds } : {}),
      }),
    /** POST /api/uploads: the file as the body. */
    upload: async (bytes: Uint8Array, filename: string) => {
      const res = await fetch(`${baseUrl()}/api/uploads?filename=${encodeURIComponent(filename)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: new Uint8Array(bytes),
      });
      const json = (await res.json()) as UploadResult;
      if (!res.ok) throw new Error(`POST /api/uploads → ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    conversation: (id: string) => call<ConversationPage>('GET', `/api/conversations/${id}`, token),
    /** Any other POST of the visitor's API (`/api/messages/:id/regenerate`, a send with metadata…). */
    post: <T>(path: string, body: unknown) => call<T>('POST', path, token, body),
    task: (id: string) => call<TaskSnapshot>('GET', `/api/tasks/${id}`, token),
    cancel: (id: string) => call<TaskSnapshot>('POST', `/api/tasks/${id}/cancel`, token, {}),
    /** Opens one of the visitor's event streams (`/api/tasks/:id/stream`, `/api/conversations/:id/stream`). */
    stream: async (path: string) => {
      const res = await fetch(`${baseUrl()}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
      if (!res.ok) throw new Error(`GET ${path} → ${res.status}`);
      return res;
    },
  };
}
export type Visitor = Awaited<ReturnType<typeof createVisitor>>;
