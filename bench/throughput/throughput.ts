// The pipeline's throughput: tasks created → completed per second on one instance with a model
// that answers at once, and the same enqueue → complete loop in pg-boss and graphile-worker, on
// the same machine and PostgreSQL. Prints one JSON line (the last) for bench/run.mjs.
//   BENCH_THROUGHPUT_TASKS (5000), BENCH_THROUGHPUT_CONCURRENCY (the runner's, 64),
//   BENCH_THROUGHPUT_PEERS (pg-boss,graphile-worker; "none" for ours alone)
import { runOurs } from './ours.js';
import { runGraphileWorker, runPgBoss } from './peers.js';

const tasks = Number(process.env.BENCH_THROUGHPUT_TASKS ?? 5000);
const concurrency = Number(process.env.BENCH_THROUGHPUT_CONCURRENCY ?? 64);
const peers = (process.env.BENCH_THROUGHPUT_PEERS ?? 'pg-boss,graphile-worker').split(',').filter((p) => p && p !== 'none');
const loadavg = async () => (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const results: Record<string, unknown> = {};
const step = async (name: string, run: () => Promise<object>) => {
  const loadBefore = await loadavg();
  const t0 = performance.now();
  try {
    const r = await run();
    results[name] = { ...r, loadBefore, loadAfter: await loadavg() };
    console.log(`${name}: ${JSON.stringify(results[name])}`);
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error), loadBefore };
    console.log(`${name} failed after ${Math.round(performance.now() - t0)} ms: ${error instanceof Error ? error.stack : error}`);
  }
};

await step('ours', () => runOurs({ tasks, concurrency }));
if (peers.includes('pg-boss')) await step('pgBoss', () => runPgBoss({ tasks }));
if (peers.includes('graphile-worker')) await step('graphileWorker', () => runGraphileWorker({ tasks, concurrency }));
console.log(JSON.stringify({ throughput: results }));
process.exit(0);
