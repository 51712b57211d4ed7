import type { Logger } from 'pino';
import type { AsyncTaskRow } from '../db/tables.js';
import type { ServerDatabase } from '../db/types.js';
import type { EventHub } from '../events/event-hub.js';
import type { LlmClient, LlmMessage } from '../llm/llm-client.js';
import { LlmError } from '../llm/llm-error.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { type AbortCause, createTaskContext } from '../runner/task-context.js';
import { storableText } from '../runner/storable-text.js';

/** The workflow's OpenAI request, as the relay forwards it upstream. */
export interface RelayRequest {
  /** The model the workflow asked for; the server's LLM_MODEL when it named none. */
  model: string | undefined;
  messages: LlmMessage[];
  /** Every other request field (`temperature`, `max_tokens`…), passed on as given. */
  params: Record<string, unknown>;
  /** The `Authorization` header to send upstream; null: none. */
  authorization: string | null;
}

/** How a relayed call ended, for the route to answer. */
export type RelayOutcome =
  /** The whole reply: the workflow completes the task with it. `length`: cut at the message limit. */
  | { type: 'completed'; text: string; model: string | null; finishReason: string }
  /** The visitor pressed Stop: acknowledged here (`task_cancel` with the text so far). */
  | { type: 'cancelled' }
  /** The attempt's deadline passed: failed here (`timeout`, retryable). */
  | { type: 'timeout' }
  /** The attempt is over (swept, taken over): nothing more is written. */
  | { type: 'stale' }
  /** The caller left (n8n gave up or was stopped): the model call is aborted, the task left to the workflow. */
  | { type: 'abandoned' }
  /** The streamed text could not be written (the database stayed unreachable). */
  | { type: 'write_failed'; error: unknown }
  /** The LLM call failed: the workflow's error path decides (its retries, `task_fail`). */
  | { type: 'llm_failed'; error: LlmError };

export interface RelayReplyOptions {
  db: ServerDatabase;
  hub: EventHub;
  logger: Logger;
  /** The live attempt the token was issued for. */
  task: Pick<AsyncTaskRow, 'id' | 'attempt' | 'deadline_at'>;
  llm: LlmClient;
  request: RelayRequest;
  /** Fires when the caller's connection closes. */
  signal: AbortSignal;
  streamFlushIntervalMs: number;
  /** Counts the streamed-reply writes. */
  metrics?: Pick<ServerMetrics, 'taskOutputWritten'>;
  now?: () => number;
}

/**
 * Streams one LLM call of a workflow into its task, like the built-in runner does: the model's
 * deltas go through the attempt's output reporter (`task_output`, coalesced; the first write of
 * each call is a replace, so a retried call starts the text over); a Stop or the deadline aborts
 * the upstream request at once (the attempt's signal watches the task's notifications), and the
 * relay settles the attempt itself: `task_cancel` with the text so far, or a retryable `timeout`.
 * A reply that passes the 16,000 characters a message holds ends the upstream call there and is
 * answered as finished (`length`): the workflow trims it, as it trims any over-long answer.
 *
 * @example
 * const outcome = await relayReply({ db, hub, logger, task, llm, request, signal, streamFlushIntervalMs: 100 });
 */
export async function relayReply({
  db,
  hub,
  logger,
  task,
  llm,
  request,
  signal,
  streamFlushIntervalMs,
  metrics,
  now,
}: RelayReplyOptions): Promise<RelayOutcome> {
  const ctx = createTaskContext({ db, hub, logger, task, now, streamFlushIntervalMs, metrics });
  // Read afresh each time: the signal may fire during any await.
  const cause = (): AbortCause | null => ctx.abortCause;
  try {
    // A Stop pressed before the workflow got here: nothing to ask the model.
    await ctx.checkCancel();
    if (cause() === 'cancelled') {
      await ctx.cancel(null);
      return { type: 'cancelled' };
    }
    const output = ctx.openOutput();
    /** The model's text so far, also past what the reporter takes (a reply over the limit). */
    let text = '';
    let info = { model: null as string | null, finishReason: null as string | null };
    let failure: unknown = null;
    try {
      text = await llm.stream(request.messages, {
        signal: AbortSignal.any([ctx.signal, output.signal, signal]),
        onText: (delta, soFar) => {
          text = soFar;
          output.push(delta);
        },
        onFinish: (finished) => {
          info = finished;
        },
        request: { model: request.model, authorization: request.authorization, params: request.params },
        // An answer without text is the workflow's to judge (it fails the attempt, as the runner does).
        allowEmpty: true,
      });
    } catch (error) {
      failure = error;
    } finally {
      // The workflow completes the task only after it has the answer: the last piece is written
      // now, so the visitor has the whole text meanwhile.
      await output.close({ flush: failure === null });
    }

    switch (cause()) {
      case 'cancelled':
        await ctx.cancel(output.text || null);
        return { type: 'cancelled' };
      case 'deadline':
        await ctx.fail({ code: 'timeout', message: 'the reply took longer than the task allows', retryable: true });
        return { type: 'timeout' };
      case 'stale':
        return { type: 'stale' };
      default:
    }
    if (signal.aborted) return { type: 'abandoned' };
    if (output.stopped === 'too_long') return { type: 'completed', text: storableText(text), model: info.model, finishReason: 'length' };
    if (output.stopped === 'write_failed') return { type: 'write_failed', error: output.error };
    if (failure !== null) {
      if (LlmError.isInstance(failure)) return { type: 'llm_failed', error: failure };
      throw failure;
    }
    // A Stop that came as the reply ended: the stopped reply keeps all of it.
    await ctx.checkCancel();
    if (cause() === 'cancelled') {
      await ctx.cancel(storableText(text));
      return { type: 'cancelled' };
    }
    return { type: 'completed', text: storableText(text), model: info.model, finishReason: info.finishReason ?? 'stop' };
  } finally {
    ctx.dispose();
  }
}
