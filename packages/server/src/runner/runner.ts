import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AsyncTaskRow } from '../db/tables.js';
import type { ServerDatabase } from '../db/types.js';
import type { EventHub } from '../events/event-hub.js';
import { LlmError, llmErrorFields } from '../llm/llm-error.js';
import type { AttemptOutcome, ServerMetrics } from '../metrics/server-metrics.js';
import { createCancelReads } from './cancel-reads.js';
import { createClaimLoop } from './claim-loop.js';
import { createHeartbeat } from './heartbeat.js';
import { createTaskContext, StaleAttemptError, type TaskContext } from './task-context.js';
import { createWorkerCallBatches } from './worker-call-batches.js';
import { TaskFailure } from './task-failure.js';

export type TaskHandler = (ctx: TaskContext) => Promise<void>;

export interface RunnerOptions {
  db: ServerDatabase;
  hub: EventHub;
  logger: Logger;
  /** kind → handler; only these kinds are claimed. */
  handlers: Record<string, TaskHandler>;
  concurrency: number;
  pollIntervalMs: number;
  /** This process's instance id (default: random); recorded on every claim. */
  instanceId?: string;
  /** How often the instance heartbeats (`runner_heartbeat`); default 10 s. */
  heartbeatIntervalMs?: number;
  /** A streamed reply is written at most this often (`STREAM_FLUSH_INTERVAL_MS`); default 100 ms. */
  streamFlushIntervalMs?: number;
  /** Counts each attempt's outcome and latencies, and the streamed writes. */
  metrics?: Pick<ServerMetrics, 'attemptEnded' | 'taskOutputWritten'>;
  now?: () => number;
}

/** What the runner recorded for an attempt that did not complete. */
interface Settled {
  outcome: Exclude<AttemptOutcome, 'completed'>;
  code?: string;
  retryable?: boolean;
}

/**
 * The built-in runner: claims due tasks of the kinds it has handlers for and runs them in
 * process, with bounded concurrency. Every failure becomes `task_fail` with a clear code; a
 * cancel request aborts the work and is acknowledged with `task_cancel`.
 *
 * @example
 * const runner = createRunner({ db, hub, logger, handlers: { 'chat.reply': chatReply }, concurrency: 4, pollIntervalMs: 2000 });
 * runner.start(); … await runner.stop(10_000);
 */
export function createRunner({
  db,
  hub,
  logger,
  handlers,
  concurrency,
  pollIntervalMs,
  instanceId = randomUUID(),
  heartbeatIntervalMs = 10_000,
  streamFlushIntervalMs = 100,
  metrics,
  now = Date.now,
}: RunnerOptions) {
  const active = new Set<TaskContext>();
  const heartbeat = createHeartbeat({ db, logger, instanceId, intervalMs: heartbeatIntervalMs });
  // One read answers the cancel checks of every attempt that asked in the same turn.
  const cancelReads = createCancelReads(db);
  // Writes of attempts that come together share one transaction and one wait for the disk.
  const calls = createWorkerCallBatches(db);

  async function execute(task: AsyncTaskRow) {
    const claimedAt = now();
    const ctx = createTaskContext({ db, hub, logger, task, now, streamFlushIntervalMs, metrics, cancelReads, calls });
    const log = logger.child({ taskId: ctx.id, attempt: ctx.attempt, kind: task.kind });
    active.add(ctx);
    let settled: Settled | null = null;
    try {
      const handler = handlers[task.kind];
      if (!handler) {
        settled = { outcome: 'failed', code: 'unknown_kind', retryable: false };
        await ctx.fail({ code: 'unknown_kind', message: `no handler for task kind "${task.kind}"`, retryable: false });
        return;
      }
      await handler(ctx);
      log.info({ ms: now() - claimedAt }, 'task completed');
    } catch (error) {
      settled = await settleFailure(ctx, error, log);
      // The abort cause only when a signal fired (a Stop, the deadline, shutdown, a refused write).
      log.info(
        { ms: now() - claimedAt, ...settled, ...(ctx.abortCause ? { abortCause: ctx.abortCause } : {}) },
        'task attempt ended without a result',
      );
    } finally {
      ctx.dispose();
      active.delete(ctx);
      adjust(settled);
      metrics?.attemptEnded(task.kind, { ...(settled ?? { outcome: 'completed' }), claimedAt, startedAt: ctx.startedAt, endedAt: now() });
    }
  }

  /** Records how the attempt ended (`task_cancel` or `task_fail`) and says what it recorded. */
  async function settleFailure(ctx: TaskContext, error: unknown, log: Logger): Promise<Settled> {
    const fail = async (settled: Required<Settled>, message: string): Promise<Settled> => {
      await ctx.fail({ code: settled.code, message, retryable: settled.retryable });
      return settled;
    };
    try {
      if (error instanceof StaleAttemptError) return { outcome: 'stale' };
      switch (ctx.abortCause) {
        case 'cancelled':
          // The stopped reply keeps what the model had written, including what was not flushed yet.
          await ctx.cancel(ctx.outputText);
          return { outcome: 'cancelled' };
        case 'stale':
          // A write was refused and no cancel was requested: the attempt was taken over (swept,
          // timed out); the database has already moved on.
          return { outcome: 'stale' };
        case 'deadline':
          return await fail({ outcome: 'failed', code: 'timeout', retryable: true }, 'the reply took longer than the task allows');
        case 'shutdown':
          return await fail(
            { outcome: 'interrupted', code: 'interrupted', retryable: true },
            'the server shut down while working on this task',
          );
        default:
      }
      if (LlmError.isInstance(error)) {
        log.warn(llmErrorFields(error), 'LLM call failed');
        return await fail({ outcome: 'failed', code: error.code, retryable: error.retryable }, error.message);
      }
      if (error instanceof TaskFailure) {
        log.warn({ code: error.code, retryable: error.retryable }, error.message);
        return await fail({ outcome: 'failed', code: error.code, retryable: error.retryable }, error.message);
      }
      const e = error as { code?: unknown; retryable?: unknown };
      log.error({ err: error }, 'task handler failed');
      return await fail(
        {
          outcome: 'failed',
          code: typeof e.code === 'string' && /^[a-z_]+$/.test(e.code) ? e.code : 'internal_error',
          retryable: typeof e.retryable === 'boolean' ? e.retryable : true,
        },
        'the task failed unexpectedly',
      );
    } catch (settleError) {
      // The sweep repairs it at the deadline.
      log.error({ err: settleError }, 'could not record the task failure');
      return { outcome: 'stale' };
    }
  }

  // Back-pressure: a model that refuses (429) or fails (unreachable, 5xx) after its retries halves
  // how many attempts run at once; each completed attempt gives one back, up to `concurrency`.
  // The tasks not claimed meanwhile wait in the database, pending, not in this process.
  let limit = concurrency;
  const adjust = (settled: Settled | null) => {
    if (!settled) limit = Math.min(concurrency, limit + 1);
    else if (settled.code === 'llm_rate_limited' || settled.code === 'llm_unavailable') limit = Math.max(1, Math.floor(limit / 2));
  };
  const loop = createClaimLoop({
    db,
    hub,
    logger,
    concurrency,
    pollIntervalMs,
    kinds: Object.keys(handlers),
    instanceId,
    limit: () => limit,
    execute,
  });
  let started = false;

  return {
    instanceId,
    start() {
      if (started || concurrency <= 0) return;
      started = true;
      heartbeat.start();
      loop.start();
    },
    kick: loop.kick,
    /** Stops claiming, lets in-flight tasks finish for `graceMs`, then aborts (and releases) the rest. */
    async stop(graceMs: number) {
      const drained = loop.stop();
      const timer = setTimeout(() => {
        for (const ctx of active) ctx.abort('shutdown');
      }, graceMs);
      await drained;
      clearTimeout(timer);
      // Every task is settled (released on shutdown): the instance is gone.
      if (started) await heartbeat.stop();
      started = false;
    },
    get inFlight() {
      return loop.inFlight;
    },
    /** How many attempts may run at once now (back-pressure lowers it below `concurrency`). */
    get limit() {
      return limit;
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
