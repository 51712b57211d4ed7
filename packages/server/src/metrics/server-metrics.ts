import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LlmObserver } from '../llm/llm-client.js';
import type { ServerDatabase } from '../db/types.js';
import { queueGauges } from './queue-gauges.js';

/** How an attempt of a claimed task ended, as the built-in runner settled it. */
export type AttemptOutcome = 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'stale';

export interface ServerMetricsOptions {
  /** Reads the queue depth at scrape time; without it the queue gauges are not registered. */
  db?: ServerDatabase;
  /** Node's process metrics (CPU, memory, handles, GC, event-loop lag); off for apps made in tests. */
  processMetrics?: boolean;
}

/**
 * Task kinds are chosen by whoever creates a task (`POST /api/tasks`): past this many distinct
 * kinds the rest are counted as `other`, so no visitor can grow the number of series at will.
 */
export const MAX_KIND_LABELS = 50;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REPLY_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

/**
 * This instance's metrics in a registry of its own (never prom-client's global one, so two
 * servers in one process keep theirs apart). Everything a request or a task does is a counter
 * increment or a histogram observation in memory; the only queries are the queue gauges', run
 * when Prometheus scrapes.
 *
 * @example
 * const metrics = createServerMetrics({ db, processMetrics: true });
 * metrics.taskCreated('chat.reply');
 * const text = await metrics.registry.metrics();
 */
export function createServerMetrics({ db, processMetrics = false }: ServerMetricsOptions = {}) {
  const registry = new Registry();
  const registers = [registry];
  if (processMetrics) collectDefaultMetrics({ register: registry });
  if (db) queueGauges(db, registers);
  const kinds = new Set<string>(['chat.reply']);
  const kindLabel = (kind: string) => {
    if (kinds.has(kind)) return kind;
    if (kinds.size >= MAX_KIND_LABELS) return 'other';
    kinds.add(kind);
    return kind;
  };

  const created = new Counter({
    name: 'async_chat_tasks_created_total',
    help: 'Tasks created through this instance (chat sends and POST /api/tasks; an idempotent repeat creates none), by kind.',
    labelNames: ['kind'],
    registers,
  });
  const completed = new Counter({
    name: 'async_chat_tasks_completed_total',
    help: "Task attempts this instance's runner completed, by kind.",
    labelNames: ['kind'],
    registers,
  });
  const failed = new Counter({
    name: 'async_chat_tasks_failed_total',
    help: 'Task attempts this instance failed (retryable ones go back to the queue until max_attempts), by kind, error code and retryable.',
    labelNames: ['kind', 'code', 'retryable'],
    registers,
  });
  const cancelled = new Counter({
    name: 'async_chat_tasks_cancelled_total',
    help: "Task attempts this instance's runner stopped on a cancel request, by kind.",
    labelNames: ['kind'],
    registers,
  });
  const claimToStart = new Histogram({
    name: 'async_chat_task_claim_to_start_seconds',
    help: "From a task's claim to its task_start (built-in runner), by kind.",
    labelNames: ['kind'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const startToFinish = new Histogram({
    name: 'async_chat_task_start_to_finish_seconds',
    help: "From a task's task_start to the end of the attempt (built-in runner), by kind and outcome.",
    labelNames: ['kind', 'outcome'],
    buckets: REPLY_BUCKETS,
    registers,
  });
  const dispatches = new Counter({
    name: 'async_chat_dispatches_total',
    help: 'Tasks this instance posted to the n8n webhook, by result (accepted: 2xx; failed: dispatch_failed).',
    labelNames: ['result'],
    registers,
  });
  const streamsOpen = new Gauge({
    name: 'async_chat_sse_streams_open',
    help: 'Server-sent-event streams open on this instance.',
    registers,
  });
  const sseEvents = new Counter({
    name: 'async_chat_sse_events_sent_total',
    help: 'Server-sent events this instance wrote to its streams, by event (snapshot, task, output, message, expired).',
    labelNames: ['event'],
    registers,
  });
  const outputWrites = new Counter({
    name: 'async_chat_task_output_writes_total',
    help: 'Streamed-reply writes (task_output) by this instance (runner and LLM relay), by result (refused: the attempt is over or a cancel was requested).',
    labelNames: ['result'],
    registers,
  });
  const llmDuration = new Histogram({
    name: 'async_chat_llm_call_duration_seconds',
    help: 'LLM calls (one reply, with the retries inside the call) from start to the end of the reply, by outcome (ok or the error code).',
    labelNames: ['outcome'],
    buckets: REPLY_BUCKETS,
    registers,
  });
  const llmFirstText = new Histogram({
    name: 'async_chat_llm_first_text_seconds',
    help: 'From the start of an LLM call to the first piece of text of its reply.',
    buckets: REPLY_BUCKETS,
    registers,
  });
  const llmErrors = new Counter({
    name: 'async_chat_llm_errors_total',
    help: 'Failed LLM requests, retried ones included, by error code and HTTP status ("none": no answer). Stops are not errors.',
    labelNames: ['code', 'status'],
    registers,
  });
  const feedback = new Counter({
    name: 'async_chat_feedback_total',
    help: 'Ratings of replies stored (a changed rating counts again), by rating.',
    labelNames: ['rating'],
    registers,
  });
  const feedbackDeliveries = new Counter({
    name: 'async_chat_feedback_webhook_total',
    help: 'Ratings posted to FEEDBACK_WEBHOOK_URL: delivered (2xx, retries included) or failed (every try refused or unreachable).',
    labelNames: ['result'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'async_chat_rate_limited_total',
    help: 'Requests refused by a rate limit or an open-stream cap, by limit (send, task, retry, session, refresh, stream, manage; open_streams_visitor, open_streams_ip: the caps on open streams).',
    labelNames: ['limit'],
    registers,
  });

  return {
    registry,
    taskCreated: (kind: string) => created.inc({ kind: kindLabel(kind) }),
    /** One settled attempt of the built-in runner; the times are ms timestamps (`startedAt` null: it never started). */
    attemptEnded(
      taskKind: string,
      {
        outcome,
        code,
        retryable,
        claimedAt,
        startedAt,
        endedAt,
      }: {
        outcome: AttemptOutcome;
        code?: string;
        retryable?: boolean;
        claimedAt: number;
        startedAt: number | null;
        endedAt: number;
      },
    ) {
      const kind = kindLabel(taskKind);
      if (outcome === 'completed') completed.inc({ kind });
      else if (outcome === 'cancelled') cancelled.inc({ kind });
      else if ((outcome === 'failed' || outcome === 'interrupted') && code)
        failed.inc({ kind, code, retryable: String(retryable ?? true) });
      if (startedAt === null) return;
      claimToStart.observe({ kind }, (startedAt - claimedAt) / 1000);
      startToFinish.observe({ kind, outcome }, (endedAt - startedAt) / 1000);
    },
    /** A failure recorded outside the runner (a dispatch that failed, a callback's `fail`). */
    taskFailed: (kind: string, code: string, retryable: boolean) =>
      failed.inc({ kind: kindLabel(kind), code, retryable: String(retryable) }),
    dispatched: (accepted: boolean) => dispatches.inc({ result: accepted ? 'accepted' : 'failed' }),
    /** A stream opened; the function it returns closes it (call it once). */
    streamOpened() {
      streamsOpen.inc();
      return () => streamsOpen.dec();
    },
    sseEventSent: (event: string) => sseEvents.inc({ event }),
    taskOutputWritten: (accepted: boolean) => outputWrites.inc({ result: accepted ? 'accepted' : 'refused' }),
    llmCallEnded: (seconds: number, outcome: string) => llmDuration.observe({ outcome }, seconds),
    llmFirstText: (seconds: number) => llmFirstText.observe(seconds),
    llmRequestFailed: (code: string, status: number | undefined) =>
      llmErrors.inc({ code, status: status === undefined ? 'none' : String(status) }),
    rateLimited: (limit: string) => rateLimited.inc({ limit }),
    feedbackStored: (rating: 'up' | 'down') => feedback.inc({ rating }),
    feedbackDelivered: (delivered: boolean) => feedbackDeliveries.inc({ result: delivered ? 'delivered' : 'failed' }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;

/**
 * The LLM client's observer that feeds these metrics.
 *
 * @example
 * createLlmClient({ baseUrl, apiKey, model, observer: llmObserver(metrics) });
 */
export function llmObserver(metrics: ServerMetrics): LlmObserver {
  return {
    requestFailed: (error) => metrics.llmRequestFailed(error.code, error.status),
    firstText: (ms) => metrics.llmFirstText(ms / 1000),
    callEnded: (ms, outcome) => metrics.llmCallEnded(ms / 1000, outcome),
  };
}
