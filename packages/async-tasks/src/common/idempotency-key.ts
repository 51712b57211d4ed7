/**
 * A fresh idempotency key (a random UUID). The SDK makes one per logical send and reuses it for
 * every retry of that send, so a double click or a reload mid-send never creates two tasks.
 *
 * @example
 * await client.create('email.draft', input, { idempotencyKey: createIdempotencyKey() });
 */
export function createIdempotencyKey(): string {
  const { crypto } = globalThis;
  // randomUUID needs a secure context; plain-http pages get 128 random bits in hex instead.
  return crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
}
