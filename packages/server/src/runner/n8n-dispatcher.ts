import type { Logger } from 'pino';
import type { AsyncTaskRow } from '../db/tables.js';
import type { ServerDatabase } from '../db/types.js';
import type { EventHub } from '../events/event-hub.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { relayBaseUrl } from '../relay/relay-token.js';
import { signWebhook } from '../webhooks/standard-webhooks.js';
import { createClaimLoop } from './claim-loop.js';
import { taskMetadata } from './system-prompt.js';
import type { WorkerAttachment } from '../uploads/worker-attachments.js';
import { taskFail } from './worker-calls.js';

/** Why fetch threw, in words an operator can act on: "connection refused", "no answer within 10 s", the DNS name not found… */
export function describeUnreachable(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return `the workflow webhook did not answer within ${Math.round(timeoutMs / 1000)} s`;
  const code = e?.cause?.code;
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'host not found'
        : code === 'ECONNRESET'
          ? 'connection reset'
          : (code ?? e?.name ?? 'unknown error');
  return `the workflow webhook could not be reached (${reason})`;
}

export interface N8nDispatcherOptions {
  db: ServerDatabase;
  hub: EventHub;
  logger: Logger;
  webhookUrl: string;
  secret: string;
  /** Where n8n reaches this server (`RELAY_PUBLIC_URL`, else the server's own address): the LLM relay's base. */
  relayPublicUrl: string;
  concurrency: number;
  pollIntervalMs: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Counts the dispatches and the dispatch failures. */
  metrics?: Pick<ServerMetrics, 'dispatched' | 'taskFailed'>;
  /** The files on the message a task answers, with download URLs for the workflow (none by default). */
  attachments?: (task: AsyncTaskRow) => Promise<WorkerAttachment[]>;
}

/**
 * Claims every due task and POSTs `{ taskId, attempt, kind, conversationId, deadlineAt, llm }` to
 * the n8n webhook, signed as a Standard Webhook with `webhook-id: <taskId>.<attempt>` (contracts.md §4).
 * `llm.baseUrl` is this attempt's LLM relay (an OpenAI-compatible base URL whose token is good for
 * this attempt until its deadline): a workflow that calls the LLM through it streams the reply into
 * the task. The workflow then reports through the database functions (or the callback route). A
 * non-2xx or network error is a retryable `dispatch_failed`.
 *
 * @example
 * createN8nDispatcher({ db, hub, logger, webhookUrl, secret, relayPublicUrl, concurrency: 8, pollIntervalMs: 2000 }).start();
 */
export function createN8nDispatcher({
  db,
  hub,
  logger,
  webhookUrl,
  secret,
  relayPublicUrl,
  concurrency,
  pollIntervalMs,
  timeoutMs = 10_000,
  fetch: fetchImpl = globalThis.fetch,
  metrics,
  attachments = async () => [],
}: N8nDispatcherOptions) {
  async function execute(task: AsyncTaskRow) {
    const { id: taskId, attempt } = task;
    // task_claim always sets the deadline; the relay's token expires with it.
    const expires = task.deadline_at ? Math.ceil(task.deadline_at.getTime() / 1000) : null;
    const body = JSON.stringify({
      taskId,
      attempt,
      kind: task.kind,
      conversationId: task.conversation_id,
      deadlineAt: task.deadline_at?.toISOString() ?? null,
      // The site's metadata of the message a chat reply answers (visitor-visible; never an identity).
      metadata: taskMetadata(task.input),
      llm: expires === null ? null : { baseUrl: relayBaseUrl(relayPublicUrl, secret, { taskId, attempt, expires }) },
      attachments: await attachments(task),
    });
    let failure: string | null = null;
    try {
      const res = await fetchImpl(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signWebhook(secret, body, { id: `${taskId}.${attempt}` }) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel().catch(() => {});
      if (!res.ok) failure = `the workflow webhook answered ${res.status}`;
    } catch (error) {
      failure = describeUnreachable(error, timeoutMs);
    }
    metrics?.dispatched(failure === null);
    if (failure === null) {
      logger.info({ taskId, attempt }, 'task dispatched to n8n');
      return;
    }
    metrics?.taskFailed(task.kind, 'dispatch_failed', true);
    logger.warn({ taskId, attempt, reason: failure }, 'dispatch failed');
    await db.asWorker((tx) => taskFail(tx, taskId, attempt, { code: 'dispatch_failed', message: failure, retryable: true }));
  }

  const loop = createClaimLoop({ db, hub, logger, concurrency, pollIntervalMs, kinds: null, execute });
  return { start: loop.start, kick: loop.kick, stop: (_graceMs?: number) => loop.stop() };
}
