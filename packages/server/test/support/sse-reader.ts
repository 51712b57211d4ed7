export interface SseEvent {
  event: string;
  data: any;
  id: string | null;
}

/**
 * Reads server-sent events from a Response: `next(predicate)` waits for the next matching event;
 * `comments` collects `: …` lines. Call `close()` to cancel the body.
 */
export function readSse(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = '';
  let done = false;
  let cursor = 0;

  async function pull(): Promise<boolean> {
    const { value, done: finished } = await reader.read();
    if (finished) {
      done = true;
      return false;
    }
    buffer += value;
    for (let index = buffer.indexOf('\n\n'); index >= 0; index = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      let event = 'message';
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) comments.push(line.slice(1).trim());
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) events.push({ event, id, data: JSON.parse(data.join('\n')) });
    }
    return true;
  }

  return {
    events,
    comments,
    get done() {
      return done;
    },
    /** Resolves with the next event (after those already returned) matching `predicate`. */
    async next(predicate: (e: SseEvent) => boolean = () => true): Promise<SseEvent> {
      for (;;) {
        while (cursor < events.length) {
          const e = events[cursor++]!;
          if (predicate(e)) return e;
        }
        if (done || !(await pull())) throw new Error(`stream ended; events: ${JSON.stringify(events.map((e) => e.event))}`);
      }
    },
    /** Resolves with the first event of the whole stream (seen or still to come) matching `predicate`. */
    async find(predicate: (e: SseEvent) => boolean): Promise<SseEvent> {
      for (;;) {
        const hit = events.find(predicate);
        if (hit) return hit;
        if (done || !(await pull())) throw new Error(`stream ended; events: ${JSON.stringify(events.map((e) => e.event))}`);
      }
    },
    /** Reads until the stream ends. */
    async drain() {
      while (!done && (await pull()));
    },
    close: () => reader.cancel().catch(() => {}),
  };
}
