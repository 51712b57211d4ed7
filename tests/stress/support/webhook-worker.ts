import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { signWebhook, verifyWebhook } from '@app/server';

export interface Dispatch {
  taskId: string;
  attempt: number;
  kind: string;
  conversationId: string | null;
}

/**
 * A stand-in for the n8n workflow on 127.0.0.1:`port`: it checks the dispatch's Standard Webhooks
 * signature, answers 200, then works the task as the workflow does, through the signed callback API
 * of the server (`POST /api/hooks/tasks/:id`: `start`, then `complete` with a reply naming the task),
 * each signed with the `webhook-id` `<taskId>.<attempt>.<unique>` that binds it to the task attempt.
 * A dispatch with a wrong signature gets 401 and is not worked.
 */
export async function startWebhookWorker({ port, secret, serverUrl }: { port: number; secret: string; serverUrl: string }) {
  const dispatches: Dispatch[] = [];
  const rejected: string[] = [];
  const callbackErrors: string[] = [];
  const work: Promise<void>[] = [];

  const callback = async (taskId: string, body: { type: string; attempt: number; [field: string]: unknown }) => {
    const raw = JSON.stringify(body);
    const id = `${taskId}.${body.attempt}.${randomUUID()}`;
    const res = await fetch(`${serverUrl}/api/hooks/tasks/${taskId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signWebhook(secret, raw, { id }) },
      body: raw,
    });
    const text = await res.text();
    if (res.status !== 200) callbackErrors.push(`${taskId}: ${res.status} ${text}`);
  };

  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => req.headers[name] as string | undefined;
      const verified = verifyWebhook(
        secret,
        { id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature') },
        raw,
      );
      if (!verified.ok) {
        rejected.push(verified.reason);
        res.writeHead(401).end();
        return;
      }
      const dispatch = JSON.parse(raw) as Dispatch;
      dispatches.push(dispatch);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
      const { taskId, attempt } = dispatch;
      work.push(
        (async () => {
          await callback(taskId, { type: 'start', attempt, statusMessage: 'Thinking…', executionId: `stand-in-${taskId}-${attempt}` });
          await callback(taskId, { type: 'complete', attempt, result: { content: `Reply from the workflow to ${taskId}` } });
        })().catch((error: unknown) => void callbackErrors.push(`${taskId}: ${String(error)}`)),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    dispatches,
    rejected,
    callbackErrors,
    close: async () => {
      await Promise.all(work);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
