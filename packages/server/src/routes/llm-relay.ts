import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AsyncTaskRow } from '../db/tables.js';
import { createLlmClient, type LlmMessage } from '../llm/llm-client.js';
import { llmErrorFields } from '../llm/llm-error.js';
import { llmObserver } from '../metrics/server-metrics.js';
import { type RelayAnswer, relayAnswer, relayError } from '../relay/relay-answer.js';
import { relayReply } from '../relay/relay-reply.js';
import { verifyRelayToken } from '../relay/relay-token.js';
import { taskFail } from '../runner/worker-calls.js';
import { inlineUploadUrls } from '../uploads/inline-upload-urls.js';
import type { RouteDeps } from './deps.js';

/**
 * A whole conversation travels in one request (the workflow's history: up to 500 messages of
 * 16,000 characters), so the relay has a limit of its own instead of the API's BODY_LIMIT_BYTES.
 */
export const RELAY_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** The OpenAI request fields the relay reads; every other field is passed on as given. */
const relayBody = z.looseObject({
  model: z.string().min(1).optional(),
  messages: z.array(z.looseObject({ role: z.string().min(1), content: z.unknown() })).min(1),
});

type LiveRow = Pick<AsyncTaskRow, 'id' | 'attempt' | 'status' | 'cancel_requested' | 'deadline_at' | 'dispatched_at'>;

const answer = (c: Context, { status, body }: RelayAnswer) => c.json(body, status);

/**
 * `POST /api/llm-relay/:token/chat/completions`: an OpenAI-compatible endpoint for one task attempt
 * (the token, see relay/relay-token.ts). It streams the request upstream (`LLM_BASE_URL`, with the
 * caller's `Authorization`, else the server's `LLM_API_KEY`), writes the reply into the task as it
 * comes, and answers one non-streamed `chat.completion` with the whole text. A wrong, expired or
 * other-attempt token → 401 `invalid_token`, and nothing is asked upstream.
 */
export function llmRelayRoutes({ config, db, hub, logger, now, metrics, uploads }: RouteDeps) {
  // Retries are the workflow's (its node's Retry On Fail): the relay passes each failure on.
  const llm = createLlmClient({
    baseUrl: config.llm.baseUrl,
    apiKey: config.llm.apiKey ?? '',
    model: config.llm.model,
    maxRetries: 0,
    observer: llmObserver(metrics),
  });
  const log = logger.child({ route: 'llm-relay' });

  return new Hono().post(
    '/:token/chat/completions',
    bodyLimit({
      maxSize: RELAY_BODY_LIMIT_BYTES,
      onError: (c) =>
        answer(c, relayError(413, 'payload_too_large', `the body is larger than ${RELAY_BODY_LIMIT_BYTES} bytes`, 'invalid_request_error')),
    }),
    async (c) => {
      const secret = config.webhookSecret;
      if (!secret) return answer(c, relayError(404, 'not_found', 'the LLM relay is not enabled (set WEBHOOK_SECRET)', 'not_found'));
      const check = verifyRelayToken(secret, c.req.param('token'), now());
      if (!check.ok) {
        if (check.reason !== 'expired') {
          return answer(c, relayError(401, 'invalid_token', 'the relay token is not valid for this server', 'authentication_error'));
        }
        // A genuine token past its deadline: the attempt has run out of time, whatever the
        // workflow makes of this 401. Failed retryably here (a no-op once the sweep did it).
        const { taskId, attempt } = check.grant;
        await db.asWorker((tx) =>
          taskFail(tx, taskId, attempt, { code: 'timeout', message: 'the reply took longer than the task allows', retryable: true }),
        );
        return answer(c, relayError(401, 'invalid_token', "the relay token expired at its attempt's deadline", 'authentication_error'));
      }
      const { taskId, attempt } = check.grant;

      let value: unknown;
      try {
        value = JSON.parse(await c.req.text());
      } catch {
        return answer(c, relayError(400, 'malformed_json', 'the request body is not valid JSON', 'invalid_request_error'));
      }
      const parsed = relayBody.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return answer(c, relayError(400, 'invalid_input', `${issue.path.join('.') || 'body'}: ${issue.message}`, 'invalid_request_error'));
      }
      // Always one streamed choice upstream; the answer here is one JSON completion.
      const { model, messages, stream: _stream, n: _n, ...params } = parsed.data;

      const { rows } = await db.asService((tx) =>
        tx.query<LiveRow>(
          'select id, attempt, status, cancel_requested, deadline_at, dispatched_at from public.async_tasks where id = $1::uuid',
          [taskId],
        ),
      );
      const row = rows[0];
      const live =
        row !== undefined &&
        row.attempt === attempt &&
        (row.status === 'processing' || (row.status === 'pending' && row.dispatched_at !== null));
      if (!live) {
        if (row?.attempt === attempt && row.status === 'cancelled') return answer(c, relayAnswer({ type: 'cancelled' }, config.llm.model));
        return answer(
          c,
          relayError(401, 'invalid_token', `the relay token is for attempt ${attempt}, which is over`, 'authentication_error'),
        );
      }

      // Images the workflow passed by their download URL go upstream as the image itself.
      await inlineUploadUrls(messages, db, uploads);
      const started = now();
      const outcome = await relayReply({
        db,
        hub,
        logger,
        task: row,
        llm,
        request: {
          model,
          messages: messages as unknown as LlmMessage[],
          params,
          authorization: c.req.header('authorization') ?? (config.llm.apiKey ? `Bearer ${config.llm.apiKey}` : null),
        },
        signal: c.req.raw.signal,
        streamFlushIntervalMs: config.streamFlushIntervalMs,
        metrics,
        now,
      });
      const chars = outcome.type === 'completed' ? outcome.text.length : undefined;
      if (outcome.type === 'llm_failed') log.warn({ taskId, attempt, ...llmErrorFields(outcome.error) }, 'LLM call failed');
      log.info({ taskId, attempt, outcome: outcome.type, chars, ms: now() - started }, 'relayed LLM call');
      // The caller is gone: nobody reads this answer.
      if (outcome.type === 'abandoned') return c.body(null, 204);
      return answer(c, relayAnswer(outcome, model ?? config.llm.model, now()));
    },
  );
}
