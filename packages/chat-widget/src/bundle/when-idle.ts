/**
 * Runs `task` once the page has loaded and the browser is idle, so work that can wait never
 * competes with the host page's own loading. Returns a function that cancels it.
 *
 * @example
 * const cancel = whenIdle(() => prefetch());
 */
export function whenIdle(task: () => void): () => void {
  let cancel = () => {};
  const schedule = () => {
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(() => task());
      cancel = () => cancelIdleCallback(id);
    } else {
      // Safari has no requestIdleCallback: the turn after the load event is the nearest idle moment.
      const id = setTimeout(task, 1);
      cancel = () => clearTimeout(id);
    }
  };
  if (document.readyState === 'complete') schedule();
  else {
    addEventListener('load', schedule, { once: true });
    cancel = () => removeEventListener('load', schedule);
  }
  return () => cancel();
}
