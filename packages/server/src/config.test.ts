import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** A folder laid out as the server's root: `supabase/migrations`, and `pnpm-workspace.yaml` for the repository. */
function serverRoot(layout: 'workspace' | 'standalone'): string {
  const dir = mkdtempSync(join(tmpdir(), `config-${layout}-`));
  mkdirSync(join(dir, 'supabase', 'migrations'), { recursive: true });
  if (layout === 'workspace') writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n');
  return dir;
}

const root = serverRoot('workspace');

describe('loadConfig', () => {
  it('has working defaults, with data under the repository root', () => {
    const config = loadConfig({}, root);
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      dataDir: join(root, '.data', 'pglite'),
      databaseUrl: null,
      jwtSecret: null,
      llm: { baseUrl: 'https://openrouter.ai/api/v1', apiKey: null },
      bodyLimitBytes: 65536,
      chatReplyTimeoutSeconds: 120,
      runnerHeartbeatIntervalMs: 10_000,
      runnerLostAfterSeconds: 30,
      n8nDispatchConcurrency: 16,
      streamFlushIntervalMs: 100,
      demoWordDelayMs: 40,
      widgetBundlePath: join(root, 'packages', 'chat-widget', 'dist', 'chat-widget.js'),
      migrationsDir: join(root, 'supabase'),
    });
    expect(config.corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
  });

  it('takes a WEBHOOK_SECRET of 32 bytes or more, counted in UTF-8, and names the variable for a shorter one', () => {
    expect(loadConfig({ WEBHOOK_SECRET: 'x'.repeat(32) }, root).webhookSecret).toBe('x'.repeat(32));
    expect(loadConfig({ WEBHOOK_SECRET: 'é'.repeat(16) }, root).webhookSecret).toBe('é'.repeat(16));
    expect(() => loadConfig({ WEBHOOK_SECRET: 'é'.repeat(15) }, root)).toThrow(
      expect.objectContaining({ name: 'ConfigError', variable: 'WEBHOOK_SECRET', message: expect.stringMatching(/at least 32 bytes/) }),
    );
  });

  it('reads the environment', () => {
    const config = loadConfig(
      {
        PORT: '9000',
        DATA_DIR: '/var/lib/chat',
        DATABASE_URL: 'postgres://u@h/db',
        CORS_ORIGINS: 'https://a.example, https://b.example/',
        LLM_BASE_URL: 'http://127.0.0.1:11434/v1/',
      },
      root,
    );
    expect(loadConfig({ CHAT_REPLY_TIMEOUT_SECONDS: '5' }, root).chatReplyTimeoutSeconds).toBe(5);
    expect(loadConfig({ RUNNER_HEARTBEAT_INTERVAL_MS: '1000', RUNNER_LOST_AFTER_SECONDS: '2' }, root)).toMatchObject({
      runnerHeartbeatIntervalMs: 1000,
      runnerLostAfterSeconds: 2,
    });
    expect(loadConfig({ STREAM_FLUSH_INTERVAL_MS: '250', DEMO_WORD_DELAY_MS: '0' }, root)).toMatchObject({
      streamFlushIntervalMs: 250,
      demoWordDelayMs: 0,
    });
    expect(config).toMatchObject({
      port: 9000,
      dataDir: '/var/lib/chat',
      databaseUrl: 'postgres://u@h/db',
      llm: { baseUrl: 'http://127.0.0.1:11434/v1' },
    });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LLM_BASE_URL: 'not a url' }, 'LLM_BASE_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ N8N_WEBHOOK_URL: 'http://n8n:5678/webhook/chat' }, 'WEBHOOK_SECRET'],
    // An HMAC key must not be guessable: 32 bytes at least (UTF-8), whatever the mode.
    [{ WEBHOOK_SECRET: 'x'.repeat(31) }, 'WEBHOOK_SECRET'],
    [{ WEBHOOK_SECRET: 'n8n-shared-secret', N8N_WEBHOOK_URL: 'http://n8n:5678/webhook/chat' }, 'WEBHOOK_SECRET'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ CHAT_REPLY_TIMEOUT_SECONDS: '0' }, 'CHAT_REPLY_TIMEOUT_SECONDS'],
    [{ CHAT_REPLY_TIMEOUT_SECONDS: '86401' }, 'CHAT_REPLY_TIMEOUT_SECONDS'],
    [{ CHAT_REPLY_TIMEOUT_SECONDS: '2.5' }, 'CHAT_REPLY_TIMEOUT_SECONDS'],
    [{ RUNNER_HEARTBEAT_INTERVAL_MS: '10' }, 'RUNNER_HEARTBEAT_INTERVAL_MS'],
    [{ RUNNER_LOST_AFTER_SECONDS: '0' }, 'RUNNER_LOST_AFTER_SECONDS'],
    [{ STREAM_FLUSH_INTERVAL_MS: '0' }, 'STREAM_FLUSH_INTERVAL_MS'],
    [{ STREAM_FLUSH_INTERVAL_MS: '60000' }, 'STREAM_FLUSH_INTERVAL_MS'],
    [{ STREAM_FLUSH_INTERVAL_MS: 'fast' }, 'STREAM_FLUSH_INTERVAL_MS'],
    [{ DEMO_WORD_DELAY_MS: '-1' }, 'DEMO_WORD_DELAY_MS'],
    // A live instance must beat at least twice within the threshold.
    [{ RUNNER_HEARTBEAT_INTERVAL_MS: '20000', RUNNER_LOST_AFTER_SECONDS: '30' }, 'RUNNER_LOST_AFTER_SECONDS'],
  ])('rejects %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env, root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message.startsWith(`${variable}:`)).toBe(true);
  });
});
