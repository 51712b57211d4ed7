import pg from 'pg';

/** The application_name of the bench's own connections: their queries are not counted. */
export const BENCH_APPLICATION_NAME = 'bench-observer';

/**
 * Counts the round trips every `pg` client of this process makes (one `client.query` is one
 * round trip in node-postgres: it never pipelines), by statement, leaving out the bench's own
 * connections. node-postgres is one module instance for the server and the bench (same version).
 */
export function countRoundTrips() {
  const byStatement = new Map<string, number>();
  let total = 0;
  /** Time from sending each statement to its answer, summed by statement (server time and waiting in between). */
  const timeMs = new Map<string, number>();
  const original = pg.Client.prototype.query;
  // biome-ignore lint/suspicious/noExplicitAny: node-postgres' query has a dozen overloads
  pg.Client.prototype.query = function (this: pg.Client & { connectionParameters?: { application_name?: string } }, ...args: any[]) {
    if (this.connectionParameters?.application_name !== BENCH_APPLICATION_NAME) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '?');
      const key = statementName(text);
      byStatement.set(key, (byStatement.get(key) ?? 0) + 1);
      total += 1;
      const t0 = performance.now();
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function')
        (result as Promise<unknown>).then(
          () => timeMs.set(key, (timeMs.get(key) ?? 0) + performance.now() - t0),
          () => undefined,
        );
      return result;
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return {
    get total() {
      return total;
    },
    snapshot: () => ({ total, byStatement: new Map(byStatement), timeMs: new Map(timeMs) }),
    restore: () => {
      pg.Client.prototype.query = original;
    },
  };
}

/** A short name for a statement: the function it calls, or its first words. */
function statementName(text: string): string {
  const fn = /\b(public|app_internal)\.([a-z_]+)\s*\(/.exec(text);
  if (fn) return fn[2]!;
  return text.trim().split(/\s+/).slice(0, 3).join(' ').slice(0, 40);
}

export type RoundTripSnapshot = ReturnType<ReturnType<typeof countRoundTrips>['snapshot']>;

/** What happened between two snapshots, per task, the most frequent first. */
export function perTask(before: RoundTripSnapshot, after: RoundTripSnapshot, tasks: number) {
  const rows: Array<[string, number, number]> = [];
  for (const [name, n] of after.byStatement) {
    const d = n - (before.byStatement.get(name) ?? 0);
    const ms = (after.timeMs.get(name) ?? 0) - (before.timeMs.get(name) ?? 0);
    if (d > 0) rows.push([name, +(d / tasks).toFixed(2), +(ms / d).toFixed(2)]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  return { total: +((after.total - before.total) / tasks).toFixed(2), byStatement: rows };
}
