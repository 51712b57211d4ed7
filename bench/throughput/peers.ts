import { createRequire } from 'node:module';
import { createTestDatabase } from '@app/db';
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import PgBoss from 'pg-boss';
import { benchClient, waitForCount } from './backlog.js';

export interface PeerResult {
  tasks: number;
  ms: number;
  perSecond: number;
  settings: string;
}

// The peers' settings for throughput, from their own documentation's knobs; env to retune.
const PG_BOSS_WORKERS = Number(process.env.BENCH_PGBOSS_WORKERS ?? 4);
const PG_BOSS_BATCH = Number(process.env.BENCH_PGBOSS_BATCH ?? 100);

/**
 * pg-boss: `tasks` jobs inserted in one statement (`insert`) while the workers are idle, then
 * the time until every one is completed. Its workers poll (0.5 s, the shortest it allows) and
 * take a batch per fetch; the handler does nothing.
 */
export async function runPgBoss({ tasks }: { tasks: number }): Promise<PeerResult> {
  const database = await createTestDatabase();
  const boss = new PgBoss({ connectionString: database.url, max: 10 });
  boss.on('error', () => undefined);
  const client = await benchClient(database.url);
  try {
    await boss.start();
    await boss.createQueue('bench');
    for (let i = 0; i < PG_BOSS_WORKERS; i += 1)
      await boss.work('bench', { batchSize: PG_BOSS_BATCH, pollingIntervalSeconds: 0.5 }, async () => undefined);
    await new Promise((r) => setTimeout(r, 600));
    await boss.insert(Array.from({ length: tasks }, (_, i) => ({ name: 'bench', data: { i } })));
    const committed = performance.now();
    const done = await waitForCount(client, "select count(*) as n from pgboss.job where name = 'bench' and state = 'completed'", tasks);
    const ms = done - committed;
    return {
      tasks,
      ms: Math.round(ms),
      perSecond: Math.round(tasks / (ms / 1000)),
      settings: `pg-boss ${PgBossVersion()}: ${PG_BOSS_WORKERS} workers × batchSize ${PG_BOSS_BATCH}, polling 0.5 s, pool 10`,
    };
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await client.end();
    await database.drop();
  }
}

/**
 * graphile-worker: `tasks` jobs added in one call (`addJobs`) while the worker is idle (it
 * LISTENs for new jobs), then the time until the queue is empty (it deletes a job once done).
 * Concurrency as our runner's; the handler does nothing.
 */
export async function runGraphileWorker({ tasks, concurrency }: { tasks: number; concurrency: number }): Promise<PeerResult> {
  const database = await createTestDatabase();
  const client = await benchClient(database.url);
  const runner = await run({
    connectionString: database.url,
    concurrency,
    noHandleSignals: true,
    pollInterval: 500,
    taskList: { bench: async () => undefined },
    logger: quietLogger,
  });
  const utils = await makeWorkerUtils({ connectionString: database.url, logger: quietLogger });
  try {
    await new Promise((r) => setTimeout(r, 600));
    await utils.addJobs(Array.from({ length: tasks }, (_, i) => ({ identifier: 'bench', payload: { i } })));
    const committed = performance.now();
    const remaining = 'select count(*) as n from graphile_worker._private_jobs';
    const done = await waitForCount(client, `select ${tasks} - (${remaining}) as n`, tasks);
    const ms = done - committed;
    return {
      tasks,
      ms: Math.round(ms),
      perSecond: Math.round(tasks / (ms / 1000)),
      settings: `graphile-worker ${graphileVersion()}: concurrency ${concurrency}, LISTEN + poll 0.5 s`,
    };
  } finally {
    await runner.stop().catch(() => undefined);
    await utils.release();
    await client.end();
    await database.drop();
  }
}

const require = createRequire(import.meta.url);
const PgBossVersion = () => (require('pg-boss/package.json') as { version: string }).version;
const graphileVersion = () => (require('graphile-worker/package.json') as { version: string }).version;
const quietLogger = new Logger(() => () => undefined);
