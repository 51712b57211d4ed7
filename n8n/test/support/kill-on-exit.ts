import type { StartedProcess } from '@app/test-support';

const running = new Set<StartedProcess>();
let installed = false;

/**
 * Kills `started` when this test process goes away without running its afterAll hooks
 * (a SIGTERM/SIGINT from an outer timeout, a crash), so no n8n or server outlives the run.
 */
export function killOnExit<T extends StartedProcess>(started: T): T {
  running.add(started);
  started.child.once('exit', () => running.delete(started));
  if (!installed) {
    installed = true;
    const killAll = () => {
      for (const p of running) p.child.kill('SIGKILL');
    };
    process.once('exit', killAll);
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(1);
      });
    }
  }
  return started;
}
