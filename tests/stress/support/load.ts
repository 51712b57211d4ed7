import { setTimeout as sleep } from 'node:timers/promises';
import { summarize, type Summary } from './stats.js';
import { type SentMessage, statusLog, Visitor, type StatusLog } from './visitor.js';

export interface LoadOptions {
  /** One base URL per server instance; visitor i uses baseUrls[i % n]. */
  baseUrls: string[];
  visitors: number;
  messagesEach: number;
  /** The sends are spread over about this long. */
  spreadMs: number;
  /** Give up waiting for terminal states after this long past the last send. */
  settleTimeoutMs: number;
  /** Try a failed send again this many times with the same key (fault suites). Default 0. */
  sendRetries?: number;
  /** Called once the sends have begun, e.g. to inject a fault mid-load. */
  during?: (elapsedMs: () => number) => Promise<void>;
}

export interface LoadResult {
  visitors: Visitor[];
  log: StatusLog;
  sendErrors: string[];
  wallMs: number;
  sendToFirstStatus: Summary;
  /** The same for messages sent while their conversation's stream was open (all but the first). */
  sendToFirstStatusStreamOpen: Summary;
  /** …and for first messages: the conversation and its stream come with the send's answer. */
  sendToFirstStatusFirstMessage: Summary;
  /** Send → its request answered (the message and the task stored). */
  sendAnswered: Summary;
  sendToTerminal: Summary;
  dbChangeToClientEvent: Summary;
}

/** A unique text per message, so the database and the LLM log can be traced back to it. */
export const messageText = (visitor: number, message: number) => `load v${visitor} m${message} ${Math.random().toString(36).slice(2, 8)}`;

/**
 * N visitors, each sending `messagesEach` messages at its own moments within `spreadMs`, through
 * the SDK's http transport, then waits until every client saw every task end.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const log = statusLog();
  const sendErrors: string[] = [];
  const started = performance.now();
  const gap = options.spreadMs / options.messagesEach;
  const visitors = Array.from({ length: options.visitors }, (_, i) => new Visitor(options.baseUrls[i % options.baseUrls.length]!, log));

  const fault = options.during?.(() => performance.now() - started);
  await Promise.all(
    visitors.map(async (visitor, v) => {
      await sleep(Math.random() * gap);
      for (let m = 0; m < options.messagesEach; m += 1) {
        const at = performance.now();
        try {
          await visitor.send(messageText(v, m), { retries: options.sendRetries ?? 0 });
        } catch (error) {
          sendErrors.push(`visitor ${v} message ${m}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        }
        if (m < options.messagesEach - 1) await sleep(Math.max(0, gap * (0.5 + Math.random()) - (performance.now() - at)));
      }
    }),
  );

  await fault;
  const deadline = performance.now() + options.settleTimeoutMs;
  while (performance.now() < deadline && !visitors.every((v) => v.settled)) await sleep(200);
  const wallMs = performance.now() - started;
  for (const visitor of visitors) visitor.close();

  const sent = visitors.flatMap((v) => v.sent);
  const toFirstStatus = (messages: SentMessage[]) =>
    summarize(messages.flatMap((m) => (m.firstStatusAt === null ? [] : [m.firstStatusAt - m.sentAt])));
  return {
    visitors,
    log,
    sendErrors,
    wallMs,
    sendToFirstStatus: toFirstStatus(sent),
    sendToFirstStatusStreamOpen: toFirstStatus(sent.filter((m) => m.streamWasOpen)),
    sendToFirstStatusFirstMessage: toFirstStatus(sent.filter((m) => !m.streamWasOpen)),
    sendAnswered: summarize(sent.map((m) => m.answeredAt - m.sentAt)),
    sendToTerminal: summarize(sent.flatMap((m) => (m.terminalAt === null ? [] : [m.terminalAt - m.sentAt]))),
    dbChangeToClientEvent: summarize(visitors.flatMap((v) => v.eventLagMs)),
  };
}

/** The latencies a load run reports, as the suites write them into their figures. */
export const latencyFigures = (r: LoadResult) => ({
  sendToFirstStatus: r.sendToFirstStatus,
  sendToFirstStatusStreamOpen: r.sendToFirstStatusStreamOpen,
  sendToFirstStatusFirstMessage: r.sendToFirstStatusFirstMessage,
  sendAnswered: r.sendAnswered,
  sendToTerminal: r.sendToTerminal,
  dbChangeToClientEvent: r.dbChangeToClientEvent,
});
