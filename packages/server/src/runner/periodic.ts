/**
 * Runs `job` every `intervalMs` (and once at start), never two at a time: a tick that finds the
 * previous run still going is skipped. `job` handles its own errors. `stop()` waits for a run in
 * progress.
 *
 * @example
 * const sweeps = every(5000, () => sweepOnce().catch(log)); sweeps.start(); … await sweeps.stop();
 */
export function every(intervalMs: number, job: () => Promise<void>) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = job().finally(() => (running = null));
  };
  return {
    start() {
      if (timer) return;
      timer = setInterval(tick, intervalMs);
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
