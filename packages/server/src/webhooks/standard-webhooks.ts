import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

// Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` (seconds) and
// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, space-separated when
// several keys sign. The key is WEBHOOK_SECRET's UTF-8 bytes as written (contracts.md §4), so a
// workflow can compute it without decoding anything.

export const TOLERANCE_SECONDS = 5 * 60;

const secretBytes = (secret: string) => Buffer.from(secret, 'utf8');

export function signature(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', secretBytes(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * Headers for a signed POST.
 *
 * @example
 * await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signWebhook(secret, body) } });
 */
export function signWebhook(secret: string, body: string, { id = `msg_${randomUUID()}`, now = Date.now() } = {}) {
  const timestamp = Math.floor(now / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature(secret, id, timestamp, body) };
}

export type VerifyResult = { ok: true; id: string } | { ok: false; reason: string };

/** Checks the headers against the raw body; never throws. */
export function verifyWebhook(
  secret: string,
  headers: { id?: string | null; timestamp?: string | null; signature?: string | null },
  body: string,
  now = Date.now(),
): VerifyResult {
  const { id, timestamp, signature: header } = headers;
  if (!id || !timestamp || !header) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed webhook-timestamp' };
  if (Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp too far from now' };
  const expected = Buffer.from(signature(secret, id, Number(timestamp), body));
  const match = header
    .split(' ')
    .map((s) => Buffer.from(s))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return match ? { ok: true, id } : { ok: false, reason: 'signature does not match' };
}
