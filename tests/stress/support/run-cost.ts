import { readFile } from 'node:fs/promises';
import pg from 'pg';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux for x86 and arm). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return 0; // gone (a backend that closed): counted up to its last reading
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * Makes every session of the database count calls of its SQL functions (pg_stat_user_functions);
 * run before the server connects. A superuser setting, hence the owner's connection.
 */
export async function trackFunctionCalls(sql: pg.Client): Promise<void> {
  const { rows } = await sql.query<{ name: string }>('select current_database() as name');
  await sql.query(`alter database "${rows[0]!.name}" set track_functions = 'pl'`);
}

/** What the statistics collector says about this database so far. */
export interface DatabaseCounters {
  /** Committed transactions of every session (pg_stat_database.xact_commit). */
  transactions: number;
  /** Calls per SQL function of the public schema (pg_stat_user_functions). */
  calls: Record<string, number>;
  /** Rows updated in async_tasks (pg_stat_user_tables.n_tup_upd). */
  taskRowUpdates: number;
}

/**
 * Counters of the database. Sessions report them when they end or go idle (at most once a second,
 * within 10 s when idle): read the final figures after the server processes have stopped.
 */
export async function databaseCounters(sql: pg.Client): Promise<DatabaseCounters> {
  const one = async (text: string) => Number(Object.values((await sql.query(text)).rows[0] ?? { n: 0 })[0] ?? 0);
  const functions = await sql.query<{ name: string; calls: string }>(
    `select funcname as name, sum(calls) as calls from pg_stat_user_functions where schemaname = 'public' group by funcname`,
  );
  return {
    transactions: await one('select xact_commit from pg_stat_database where datname = current_database()'),
    calls: Object.fromEntries(functions.rows.map((r) => [r.name, Number(r.calls)])),
    taskRowUpdates: await one(`select n_tup_upd from pg_stat_user_tables where relid = 'public.async_tasks'::regclass`),
  };
}

/**
 * CPU of the PostgreSQL backends serving this database (every session but `exclude`), read from
 * /proc: `read()` gives the ms they used since `start()`. A backend that ends in between is
 * counted up to its last reading only (the server's pools keep theirs open under load).
 */
export async function backendCpu(sql: pg.Client, exclude: number[]) {
  const pids = async () =>
    (
      await sql.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> all($1::int[])', [
        exclude,
      ])
    ).rows.map((r) => r.pid);
  const before = new Map<number, number>();
  for (const pid of await pids()) before.set(pid, await cpuMs(pid));
  return {
    async read(): Promise<{ ms: number; backends: number }> {
      let ms = 0;
      const now = await pids();
      for (const pid of now) ms += (await cpuMs(pid)) - (before.get(pid) ?? 0);
      return { ms, backends: now.length };
    },
  };
}

/** Counts the app's notifications (LISTEN app_events) by table, from `start()` on. */
export async function countNotifications(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const byTable: Record<string, number> = {};
  let counting = false;
  client.on('notification', (n) => {
    if (!counting) return;
    let table = 'unknown';
    try {
      table = (JSON.parse(n.payload ?? '{}') as { table?: string }).table ?? table;
    } catch {
      // counted as unknown
    }
    byTable[table] = (byTable[table] ?? 0) + 1;
  });
  await client.query('listen app_events');
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  return {
    pid,
    byTable,
    start: () => {
      counting = true;
    },
    stop: () => {
      counting = false;
    },
    close: () => client.end(),
  };
}

/**
 * Samples what the database's sessions (but `exclude`) are doing, every `everyMs`, until
 * `stop()`: the mean number running a statement (`active`), inside a transaction waiting for the
 * client's next statement (`idle in transaction`: the round trip to the server process), and idle.
 * Pool connections all busy means requests queue for one.
 */
export function sampleSessions(sql: pg.Client, exclude: number[], everyMs = 250) {
  const totals: Record<string, number> = {};
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await sql.query<{ state: string; n: number }>(
        `select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid <> all($1::int[]) and backend_type = 'client backend' group by 1`,
        [exclude],
      );
      samples += 1;
      for (const r of rows) totals[r.state] = (totals[r.state] ?? 0) + r.n;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop(): Promise<Record<string, number>> {
      running = false;
      await loop;
      return Object.fromEntries(Object.entries(totals).map(([state, n]) => [state, +(n / Math.max(1, samples)).toFixed(1)]));
    },
  };
}
