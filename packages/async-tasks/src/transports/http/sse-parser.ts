/** One server-sent event. */
export interface SseEvent {
  /** `event:` field; `message` when absent. */
  type: string;
  data: string;
  /** The last `id:` seen in the stream so far (per the spec it carries over to later events). */
  lastEventId: string;
}

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML §9.2.6): feed it decoded
 * text in chunks of any size; it calls back per complete event. Handles CRLF/LF/CR line ends
 * (also a CRLF split across chunks; a lone CR at a chunk's end waits for the next chunk), a leading BOM,
 * multi-line `data` and comments. `retry:` is ignored: reconnect timing is the transport's backoff.
 *
 * @example
 * const parser = createSseParser((e) => console.log(e.type, JSON.parse(e.data)));
 * parser.push('event: task\ndata: {"id":"t1"}\n\n');
 */
export function createSseParser(onEvent: (event: SseEvent) => void) {
  let buffer = '';
  let type = '';
  let data: string[] = [];
  let lastEventId = '';
  let started = false;

  const line = (text: string) => {
    if (!text) {
      if (data.length) onEvent({ type: type || 'message', data: data.join('\n'), lastEventId });
      type = '';
      data = [];
      return;
    }
    const colon = text.indexOf(':');
    if (!colon) return; // a comment, e.g. `: keep-alive`
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + (text[colon + 1] === ' ' ? 2 : 1));
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
    // `retry` and unknown fields are ignored
  };

  return {
    push(chunk: string) {
      buffer += chunk;
      if (!started && buffer) {
        started = true;
        if (buffer[0] === '\uFEFF') buffer = buffer.slice(1);
      }
      // A trailing CR waits for the next chunk: it may be the first half of a CRLF.
      const end = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
      const lines = buffer.slice(0, end).split(/\r\n|\r|\n/);
      buffer = lines.pop()! + buffer.slice(end);
      lines.forEach(line);
    },
    /** The last event id seen, to send as `Last-Event-ID` on reconnect. */
    lastEventId: () => lastEventId,
  };
}
