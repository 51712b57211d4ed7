/**
 * Queues re-reads of rows on a stream's serial queue, at most one waiting per row. A streaming
 * reply notifies several times a second: a notification that arrives while a read of its row is
 * still waiting is answered by that read (it runs after the change committed, so it sees it), and
 * one that arrives once the read has begun queues exactly one more. So a burst costs one read,
 * nothing is missed, and rows keep the order of their first waiting notification.
 *
 * @example
 * const reread = coalescedReads(serial);
 * hub.subscribe({ onEvent: (e) => reread(e.id, () => readAndSend(e.id)) });
 */
export function coalescedReads(serial: (job: () => Promise<void>) => Promise<void>) {
  const waiting = new Set<string>();
  return (key: string, read: () => Promise<void>): void => {
    if (waiting.has(key)) return;
    waiting.add(key);
    void serial(async () => {
      waiting.delete(key);
      await read();
    });
  };
}
