import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AsyncTaskRow } from '../db/tables.js';
import type { ServerDatabase } from '../db/types.js';
import type { EventHub } from '../events/event-hub.js';
import { LlmError } from '../llm/llm-error.js';
import { createClaimLoop } from './claim-loop.js';
import { createHeartbeat } from './heartbeat.js';
import { createTaskContext, StaleAttemptError, type TaskContext } from './task-context.js';
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
  now?: () => number;
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
  now = Date.now,
}: RunnerOptions) {
  const active = new Set<TaskContext>();
  const heartbeat = createHeartbeat({ db, logger, instanceId, intervalMs: heartbeatIntervalMs });

  async function execute(task: AsyncTaskRow) {
    const ctx = createTaskContext({ db, hub, logger, task, now, streamFlushIntervalMs });
    const log = logger.child({ taskId: ctx.id, attempt: ctx.attempt, kind: task.kind });
    const started = now();
    active.add(ctx);
    try {
      const handler = handlers[task.kind];
      if (!handler) {
        await ctx.fail({ code: 'unknown_kind', message: `no handler for task kind "${task.kind}"`, retryable: false });
        return;
      }
      await handler(ctx);
      log.info({ ms: now() - started }, 'task completed');
    } catch (error) {
      await settleFailure(ctx, error, log);
      log.info({ ms: now() - started, cause: ctx.abortCause }, 'task attempt ended without a result');
    } finally {
      ctx.dispose();
      active.delete(ctx);
    }
  }

  async function settleFailure(ctx: TaskContext, error: unknown, log: Logger) {
    try {
      if (error instanceof StaleAttemptError) return;
      switch (ctx.abortCause) {
        case 'cancelled':
          // The stopped reply keeps what the model had written, including what was not flushed yet.
          await ctx.cancel(ctx.outputText);
          return;
        case 'stale':
          // A write was refused and no cancel was requested: the attempt was taken over (swept,
          // timed out); the database has already moved on.
          return;
        case 'deadline':
          await ctx.fail({ code: 'timeout', message: 'the reply took longer than the task allows', retryable: true });
          return;
        case 'shutdown':
          await ctx.fail({ code: 'interrupted', message: 'the server shut down while working on this task', retryable: true });
          return;
        default:
      }
      if (LlmError.isInstance(error)) {
        log.warn({ code: error.code, status: error.status, host: error.host, retryable: error.retryable }, 'LLM call failed');
        await ctx.fail({ code: error.code, message: error.message, retryable: error.retryable });
        return;
      }
      if (error instanceof TaskFailure) {
        log.warn({ code: error.code, retryable: error.retryable }, error.message);
        await ctx.fail({ code: error.code, message: error.message, retryable: error.retryable });
        return;
      }
      const e = error as { code?: unknown; retryable?: unknown };
      log.error({ err: error }, 'task handler failed');
      await ctx.fail({
        code: typeof e.code === 'string' && /^[a-z_]+$/.test(e.code) ? e.code : 'internal_error',
        message: 'the task failed unexpectedly',
        retryable: typeof e.retryable === 'boolean' ? e.retryable : true,
      });
    } catch (settleError) {
      // The sweep repairs it at the deadline.
      log.error({ err: settleError }, 'could not record the task failure');
    }
  }

  const loop = createClaimLoop({ db, hub, logger, concurrency, pollIntervalMs, kinds: Object.keys(handlers), instanceId, execute });
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
  };
}

export type Runner = ReturnType<typeof createRunner>;
