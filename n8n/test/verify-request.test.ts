import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

// The Code node's source, run the way n8n runs it: a function body with $input and $env in scope.
const source = readFileSync(new URL('../src/verify-request.js', import.meta.url), 'utf8');

interface Verdict {
  valid: boolean;
  reason?: string;
  taskId?: string;
  attempt?: number;
  settings?: { llmBaseUrl: string; llmModel: string; historyLimit: number };
  llm?: { baseUrl: string; relayed: boolean; timeoutMs: number };
  attachments?: { id: string; filename: string; mediaType: string; inline: boolean; url: string }[];
  metadata?: Record<string, unknown> | null;
}

function verify({
  body,
  headers,
  env = {},
  envBlocked = false,
  withRequire = true,
  rawBody = true,
}: {
  body: string;
  headers: Record<string, string>;
  env?: Record<string, string>;
  envBlocked?: boolean;
  withRequire?: boolean;
  rawBody?: boolean;
}): Verdict {
  const item = {
    json: { headers, body: JSON.parse(body) },
    binary: rawBody ? { data: { data: Buffer.from(body).toString('base64') } } : undefined,
  };
  const $env = envBlocked
    ? new Proxy(
        {},
        {
          get: () => {
            throw new Error('access to env vars denied');
          },
        },
      )
    : env;
  const context: Record<string, unknown> = { $input: { first: () => item }, $env, Buffer };
  if (withRequire) context.require = createRequire(import.meta.url);
  const result = runInNewContext(`(function () {\n${source}\n})()`, context) as Array<{ json: Verdict }>;
  return result[0]!.json;
}

const taskId = randomUUID();
const payload = JSON.stringify({ taskId, attempt: 2, kind: 'chat.reply', conversationId: randomUUID(), deadlineAt: null });

function sign(secret: string, body = payload, timestamp = Math.floor(Date.now() / 1000), id = `msg_${randomUUID()}`) {
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}

describe('Verify request (Code node)', () => {
  for (const withRequire of [true, false]) {
    const how = withRequire ? "with Node's crypto" : 'with the plain-JavaScript HMAC (no require)';

    it(`accepts the server's signature ${how}: the secret's UTF-8 bytes are the key, whatever it looks like`, () => {
      for (const secret of ['plain-secret', `whsec_${randomBytes(32).toString('base64')}`, 'k'.repeat(100), 'clé-ünïcode']) {
        const verdict = verify({ body: payload, headers: sign(secret), env: { WEBHOOK_SECRET: secret }, withRequire });
        expect(verdict).toMatchObject({ valid: true, taskId, attempt: 2 });
      }
    });

    it(`rejects a wrong secret or a tampered body ${how}`, () => {
      expect(verify({ body: payload, headers: sign('other'), env: { WEBHOOK_SECRET: 's' }, withRequire })).toEqual({
        valid: false,
        reason: 'webhook-signature does not match',
      });
      const tampered = payload.replace('"attempt":2', '"attempt":3');
      expect(verify({ body: tampered, headers: sign('s'), env: { WEBHOOK_SECRET: 's' }, withRequire }).valid).toBe(false);
    });
  }

  it('accepts one matching signature among several (key rotation)', () => {
    const headers = sign('new-secret');
    headers['webhook-signature'] = `v1,${randomBytes(32).toString('base64')} ${headers['webhook-signature']}`;
    expect(verify({ body: payload, headers, env: { WEBHOOK_SECRET: 'new-secret' } }).valid).toBe(true);
  });

  it('rejects stale timestamps, missing headers, a missing raw body and a missing secret', () => {
    const env = { WEBHOOK_SECRET: 's' };
    const old = Math.floor(Date.now() / 1000) - 301;
    expect(verify({ body: payload, headers: sign('s', payload, old), env }).reason).toMatch(/away from now/);
    expect(verify({ body: payload, headers: {}, env }).reason).toMatch(/missing webhook-id/);
    expect(verify({ body: payload, headers: sign('s'), env, rawBody: false }).reason).toMatch(/raw body is missing/);
    expect(verify({ body: payload, headers: sign('s'), env: {} }).reason).toMatch(/WEBHOOK_SECRET is not configured/);
  });

  it('rejects a signed payload that is not a chat.reply task', () => {
    const env = { WEBHOOK_SECRET: 's' };
    const other = JSON.stringify({ taskId, attempt: 1, kind: 'email.draft', conversationId: null });
    expect(verify({ body: other, headers: sign('s', other), env }).reason).toMatch(/handles kind "chat.reply"/);
    const noAttempt = JSON.stringify({ taskId, attempt: 0, kind: 'chat.reply', conversationId: randomUUID() });
    expect(verify({ body: noAttempt, headers: sign('s', noAttempt), env }).reason).toMatch(/attempt/);
  });

  it('passes on the metadata and puts the keys LLM_SYSTEM_PROMPT names into the system prompt', () => {
    const env = {
      WEBHOOK_SECRET: 's',
      LLM_SYSTEM_PROMPT: 'Page: {{metadata.page}}. Cart: {{ metadata.cart.total }}. Plan: {{metadata.plan}}.',
    };
    const body = JSON.stringify({ ...JSON.parse(payload), metadata: { page: '/pricing', cart: { total: 42 }, long: 'x'.repeat(600) } });
    const verdict = verify({ body, headers: sign('s', body), env }) as Verdict & { settings: { systemPrompt: string } };
    expect(verdict.metadata).toMatchObject({ page: '/pricing', cart: { total: 42 } });
    expect(verdict.settings.systemPrompt).toBe('Page: /pricing. Cart: 42. Plan: .');
    const long = verify({ body, headers: sign('s', body), env: { ...env, LLM_SYSTEM_PROMPT: '{{metadata.long}}' } }) as typeof verdict;
    expect(long.settings.systemPrompt).toBe(`${'x'.repeat(500)}…`);
    // No metadata (an older server) or not an object: none, and the placeholders become nothing.
    for (const metadata of [undefined, null, ['a'], 'page']) {
      const other = JSON.stringify({ ...JSON.parse(payload), metadata });
      const result = verify({ body: other, headers: sign('s', other), env }) as typeof verdict;
      expect([result.metadata, result.settings.systemPrompt]).toEqual([null, 'Page: . Cart: . Plan: .']);
    }
  });

  it("sends the LLM call to the server's relay named in the payload, else to LLM_BASE_URL", () => {
    const env = { WEBHOOK_SECRET: 's', LLM_BASE_URL: 'http://127.0.0.1:11434/v1/' };
    const relayUrl = `https://chat.example.com/api/llm-relay/${taskId}.2.1900000000.c2lnbmF0dXJl`;
    const relayed = JSON.stringify({ ...JSON.parse(payload), llm: { baseUrl: relayUrl } });
    expect(verify({ body: relayed, headers: sign('s', relayed), env }).llm).toMatchObject({ baseUrl: relayUrl, relayed: true });
    // An older server's payload, or a value that is not an http(s) URL: the LLM is called directly.
    for (const llm of [undefined, null, { baseUrl: 'javascript:alert(1)' }, { baseUrl: 42 }]) {
      const body = JSON.stringify({ ...JSON.parse(payload), llm });
      expect(verify({ body, headers: sign('s', body), env }).llm, JSON.stringify(llm)).toMatchObject({
        baseUrl: 'http://127.0.0.1:11434/v1',
        relayed: false,
      });
    }
  });

  it('passes on the attachments of the signed payload that have an id and an http(s) download URL', () => {
    const env = { WEBHOOK_SECRET: 's' };
    const id = randomUUID();
    const good = {
      id,
      filename: 'a.png',
      mediaType: 'image/png',
      inline: true,
      url: `https://chat.example.com/api/uploads/${id}/content?t=w1.1.x`,
    };
    const body = JSON.stringify({
      ...JSON.parse(payload),
      attachments: [good, { ...good, id: 'not-a-uuid' }, { ...good, url: 'javascript:alert(1)' }, null],
    });
    expect(verify({ body, headers: sign('s', body), env }).attachments).toEqual([good]);
    expect(verify({ body: payload, headers: sign('s'), env }).attachments).toEqual([]);
  });

  it("gives the LLM call until the attempt's deadline, plus a margin for the relay's own answer", () => {
    const env = { WEBHOOK_SECRET: 's' };
    const inTwoMinutes = JSON.stringify({ ...JSON.parse(payload), deadlineAt: new Date(Date.now() + 120_000).toISOString() });
    const { timeoutMs } = verify({ body: inTwoMinutes, headers: sign('s', inTwoMinutes), env }).llm!;
    expect(timeoutMs).toBeGreaterThan(115_000);
    expect(timeoutMs).toBeLessThanOrEqual(125_000);
    const passed = JSON.stringify({ ...JSON.parse(payload), deadlineAt: new Date(Date.now() - 1000).toISOString() });
    expect(verify({ body: passed, headers: sign('s', passed), env }).llm!.timeoutMs).toBe(5000);
    // No deadline in the payload: the server's default budget (120 s) and the margin.
    expect(verify({ body: payload, headers: sign('s'), env }).llm!.timeoutMs).toBe(125_000);
  });

  it('reads the LLM settings from the environment, with OpenRouter defaults when env access is blocked', () => {
    const custom = verify({
      body: payload,
      headers: sign('s'),
      env: {
        WEBHOOK_SECRET: 's',
        LLM_BASE_URL: 'http://127.0.0.1:11434/v1/',
        LLM_MODEL: 'llama3',
        CHAT_HISTORY_LIMIT: '10',
        PROMPT_MAX_CHARS: '8000',
      },
    });
    expect(custom.settings).toMatchObject({
      llmBaseUrl: 'http://127.0.0.1:11434/v1',
      llmModel: 'llama3',
      historyLimit: 10,
      promptMaxChars: 8000,
    });
    // Unset: the server's default prompt budget.
    expect(verify({ body: payload, headers: sign('s'), env: { WEBHOOK_SECRET: 's' } }).settings).toMatchObject({ promptMaxChars: 24000 });
    // Blocked $env (n8n Cloud): no secret either, so the request is refused with a clear reason.
    expect(verify({ body: payload, headers: sign('s'), envBlocked: true }).reason).toMatch(/WEBHOOK_SECRET is not configured/);
  });
});
