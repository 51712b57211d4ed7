/**
 * A fresh idempotency key (a random UUID). The SDK makes one per logical send and reuses it for
 * every retry of that send, so a double click or a reload mid-send never creates two tasks.
 *
 * @example
 * await client.create('email.draft', input, { idempotencyKey: createIdempotencyKey() });
 */
export function createIdempotencyKey(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  // Old browsers and insecure origins lack randomUUID but have getRandomValues.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
