import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token in an LLM relay URL (`/api/llm-relay/<token>/chat/completions`): which task attempt
 * may stream through the relay, and until when. `<taskId>.<attempt>.<expires>.<signature>`, where
 * `expires` is the attempt's deadline in unix seconds and the signature is the base64url
 * HMAC-SHA256, keyed with WEBHOOK_SECRET's UTF-8 bytes, of `llm-relay.v1.<taskId>.<attempt>.<expires>`.
 * The prefix keeps it apart from the webhook signatures made with the same secret. The token sits
 * in the URL path (an OpenAI-compatible node takes only a base URL), so it carries nothing secret
 * and is good for one attempt only.
 */
export interface RelayGrant {
  taskId: string;
  attempt: number;
  /** Unix seconds: the attempt's deadline. */
  expires: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sign = (secret: string, { taskId, attempt, expires }: RelayGrant) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(`llm-relay.v1.${taskId}.${attempt}.${expires}`).digest('base64url');

/**
 * The token for one attempt; it expires at the attempt's deadline.
 *
 * @example
 * const token = signRelayToken(secret, { taskId, attempt: 1, expires: Math.floor(deadline.getTime() / 1000) });
 */
export function signRelayToken(secret: string, grant: RelayGrant): string {
  return `${grant.taskId}.${grant.attempt}.${grant.expires}.${sign(secret, grant)}`;
}

export type RelayTokenCheck =
  | { ok: true; grant: RelayGrant }
  | { ok: false; reason: 'malformed' | 'bad_signature' }
  /** Genuine, but past its attempt's deadline. */
  | { ok: false; reason: 'expired'; grant: RelayGrant };

/** Checks a token's form, signature and expiry (in that order: a forged token never reads as expired); never throws. */
export function verifyRelayToken(secret: string, token: string, now = Date.now()): RelayTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'malformed' };
  const [taskId, attemptText, expiresText, given] = parts as [string, string, string, string];
  if (!UUID.test(taskId) || !/^[1-9]\d{0,8}$/.test(attemptText) || !/^\d{1,12}$/.test(expiresText)) {
    return { ok: false, reason: 'malformed' };
  }
  const grant = { taskId, attempt: Number(attemptText), expires: Number(expiresText) };
  const expected = Buffer.from(sign(secret, grant));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, reason: 'bad_signature' };
  if (now >= grant.expires * 1000) return { ok: false, reason: 'expired', grant };
  return { ok: true, grant };
}

/**
 * The base URL an OpenAI-compatible client uses to reach the relay for one attempt
 * (`<publicUrl>/api/llm-relay/<token>`; the client appends `/chat/completions`).
 *
 * @example
 * relayBaseUrl('https://chat.example.com', secret, { taskId, attempt: 1, expires });
 */
export function relayBaseUrl(publicUrl: string, secret: string, grant: RelayGrant): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/llm-relay/${signRelayToken(secret, grant)}`;
}
