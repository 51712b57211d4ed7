/** One server-sent event. */
export interface SseEvent {
  /** `event:` field; `message` when absent. */
  type: string;
  data: string;
  /** The last `id:` seen in the stream so far (per the spec it carries over to later events). */
  lastEventId: string;
}

/** Callbacks of `createSseParser`. */
export interface SseParserHandlers {
  onEvent(event: SseEvent): void;
  /** A `retry:` field: the server's suggested reconnection delay in ms. */
  onRetry?(ms: number): void;
  /** A comment line (`: keep-alive`). */
  onComment?(text: string): void;
}

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML §9.2.6): feed it decoded
 * text in chunks of any size; it calls back per complete event. Handles CRLF/LF/CR line ends
 * (also a CRLF split across chunks), a leading BOM, multi-line `data`, comments and `retry`.
 *
 * @example
 * const parser = createSseParser({ onEvent: (e) => console.log(e.type, JSON.parse(e.data)) });
 * parser.push('event: task\ndata: {"id":"t1"}\n\n');
 */
export function createSseParser({ onEvent, onRetry, onComment }: SseParserHandlers) {
  let buffer = '';
  let started = false;
  let skipLeadingLf = false;
  let type = '';
  let data = '';
  let hasData = false;
  let lastEventId = '';

  const line = (text: string) => {
    if (text === '') {
      if (hasData) onEvent({ type: type || 'message', data: data.endsWith('\n') ? data.slice(0, -1) : data, lastEventId });
      type = '';
      data = '';
      hasData = false;
      return;
    }
    if (text.startsWith(':')) return onComment?.(text.slice(1).trimStart());
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        type = value;
        break;
      case 'data':
        data += `${value}\n`;
        hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) onRetry?.(Number(value));
        break;
      default:
        break; // unknown fields are ignored, as the spec says
    }
  };

  return {
    push(chunk: string) {
      buffer += chunk;
      if (!started && buffer.length > 0) {
        started = true;
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      }
      if (skipLeadingLf && buffer.startsWith('\n')) buffer = buffer.slice(1);
      skipLeadingLf = false;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        line(buffer.slice(start, i));
        if (char === '\r') {
          if (i + 1 === buffer.length) skipLeadingLf = true; // the LF of a CRLF may come in the next chunk
          else if (buffer[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    /** The last event id seen, to send as `Last-Event-ID` on reconnect. */
    lastEventId: () => lastEventId,
  };
}
