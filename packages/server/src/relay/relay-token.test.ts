import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { relayBaseUrl, signRelayToken, verifyRelayToken } from './relay-token.js';

const SECRET = 'relay-secret';
const now = Date.UTC(2030, 0, 1);
const grant = { taskId: randomUUID(), attempt: 2, expires: now / 1000 + 120 };

describe('relay tokens', () => {
  it('verify for the task, attempt and expiry they were signed for, until the expiry', () => {
    const token = signRelayToken(SECRET, grant);
    expect(verifyRelayToken(SECRET, token, now)).toEqual({ ok: true, grant });
    expect(verifyRelayToken(SECRET, token, grant.expires * 1000 - 1)).toMatchObject({ ok: true });
    expect(verifyRelayToken(SECRET, token, grant.expires * 1000)).toEqual({ ok: false, reason: 'expired', grant });
  });

  it('are refused when any part was changed, or signed with another secret', () => {
    const token = signRelayToken(SECRET, grant);
    const [taskId, attempt, expires, signature] = token.split('.') as [string, string, string, string];
    const other = randomUUID();
    for (const forged of [
      [other, attempt, expires, signature],
      [taskId, '3', expires, signature],
      [taskId, attempt, String(Number(expires) + 3600), signature],
      [taskId, attempt, expires, `${signature.slice(0, -2)}AA`],
    ]) {
      expect(verifyRelayToken(SECRET, forged.join('.'), now), forged.join('.')).toEqual({ ok: false, reason: 'bad_signature' });
    }
    expect(verifyRelayToken('another-secret', token, now)).toEqual({ ok: false, reason: 'bad_signature' });
    // A forged token past its expiry is still a forgery, not "expired".
    expect(verifyRelayToken('another-secret', token, grant.expires * 1000 + 1)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('are refused when malformed', () => {
    for (const token of ['', 'abc', `${grant.taskId}.0.1.x`, `${grant.taskId}.1.x.y`, `not-a-uuid.1.1.x`, `${grant.taskId}.1.1.x.y`]) {
      expect(verifyRelayToken(SECRET, token, now), token).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('differ per attempt, and make the base URL an OpenAI-compatible client appends /chat/completions to', () => {
    const token = signRelayToken(SECRET, grant);
    const other = signRelayToken(SECRET, { ...grant, attempt: 1 });
    expect(token.split('.')[3]).not.toBe(other.split('.')[3]);
    expect(relayBaseUrl('https://chat.example.com/', SECRET, grant)).toBe(`https://chat.example.com/api/llm-relay/${token}`);
  });
});
