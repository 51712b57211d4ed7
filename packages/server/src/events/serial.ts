/** Runs async jobs one after another (events must reach a stream in order). */
export function createSerialQueue(onError: (error: unknown) => void) {
  let tail: Promise<void> = Promise.resolve();
  return (job: () => Promise<void>) => {
    tail = tail.then(job).catch(onError);
    return tail;
  };
}
