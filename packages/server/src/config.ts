import { isAbsolute, resolve } from 'node:path';
import { loadUploadConfig, type UploadConfig } from './uploads/upload-config.js';
import { findWorkspaceRoot, serverFiles } from './workspace.js';

/** Everything the server reads from the environment, typed and validated. */
export interface Config {
  production: boolean;
  port: number;
  host: string;
  /** PGlite data folder; unused when `databaseUrl` is set. */
  dataDir: string;
  databaseUrl: string | null;
  /** HS256 secret for visitor tokens; null means "generate one and keep it next to the data". */
  jwtSecret: string | null;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  supabaseJwtSecret: string | null;
  supabaseJwksUrl: string | null;
  /** Exact origins, or patterns with `*` for the port (`http://localhost:*`). */
  corsOrigins: string[];
  trustProxy: boolean;
  llm: { baseUrl: string; apiKey: string | null; model: string; maxRetries: number; systemPrompt: string };
  demoReplyDelayMs: number;
  /** Pause between two words of the demo model's streamed reply. */
  demoWordDelayMs: number;
  /** A streamed reply is written to its task (`task_output`) at most this often. */
  streamFlushIntervalMs: number;
  /** Per-attempt budget of a chat reply (the `chat.reply` task's `timeout_seconds`); past it the attempt times out and is retried. */
  chatReplyTimeoutSeconds: number;
  n8nWebhookUrl: string | null;
  /** Where n8n reaches this server (the LLM relay's base); null: the server's own address. */
  relayPublicUrl: string | null;
  /** n8n's public API, to stop a cancelled task's running execution (n8n versions that have the stop endpoint). */
  n8nApi: { url: string; key: string } | null;
  webhookSecret: string | null;
  bodyLimitBytes: number;
  /** Requests per minute, counted in the database so every instance shares them (0 = off). */
  rateLimits: {
    sendPerVisitorPerMinute: number;
    sendPerIpPerMinute: number;
    sessionPerIpPerMinute: number;
    refreshPerIpPerMinute: number;
    taskPerVisitorPerMinute: number;
    taskPerIpPerMinute: number;
    retryPerVisitorPerMinute: number;
    retryPerIpPerMinute: number;
    streamPerVisitorPerMinute: number;
    streamPerIpPerMinute: number;
    /** Conversations made, renamed, deleted and replies rated. */
    managePerVisitorPerMinute: number;
    managePerIpPerMinute: number;
    /** Files uploaded (besides the bytes per day). */
    uploadPerVisitorPerMinute: number;
    uploadPerIpPerMinute: number;
  };
  /** Open SSE streams at once, over all instances (0 = no cap). */
  maxStreamsPerVisitor: number;
  maxStreamsPerIp: number;
  /** Bounds on `POST /api/tasks` (below the database's own 50 attempts and 64 KB). */
  tasks: { maxAttempts: number; maxInputBytes: number };
  /** The characters of history a chat reply sends to the model (`task_conversation_history`'s budget). */
  promptMaxChars: number;
  sweepIntervalMs: number;
  runnerConcurrency: number;
  /** Dispatches to n8n in flight per instance (n8n mode): what n8n's webhook is offered at once. */
  n8nDispatchConcurrency: number;
  runnerPollIntervalMs: number;
  /** How often the built-in runner's instance heartbeats (`runner_heartbeat`). */
  runnerHeartbeatIntervalMs: number;
  /** The sweep retries the tasks of a runner instance silent this long (`worker_lost`). */
  runnerLostAfterSeconds: number;
  shutdownGraceMs: number;
  /** `GET /metrics`: served only to a scraper with this bearer token; null: the route does not exist. */
  metrics: { token: string | null };
  /** Attachments: limits, accepted types, storage (database or an S3-compatible bucket). */
  uploads: UploadConfig;
  /** A message's site metadata at most this many bytes as JSON (`METADATA_MAX_BYTES`); where feedback is posted, signed with `WEBHOOK_SECRET` (`FEEDBACK_WEBHOOK_URL`). */
  chatFeatures: { metadataMaxBytes: number; feedbackWebhookUrl: string | null };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  widgetBundlePath: string;
  migrationsDir: string;
}

/** A wrong environment value; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const text = (env: Env, name: string): string | null => {
  const value = env[name]?.trim();
  return value ? value : null;
};

const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}…${max}, got ${value}`);
  return value;
};

const boolean = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined || raw === null) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
};

const url = (env: Env, name: string, fallback: string | null, protocols = ['http:', 'https:']): string | null => {
  const raw = text(env, name) ?? fallback;
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got "${parsed.protocol}"`);
  }
  return raw.replace(/\/+$/, '');
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the configuration. Throws {@link ConfigError} naming the variable.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Env = process.env, root: string = findWorkspaceRoot()): Config {
  const production = env.NODE_ENV === 'production';
  const fromRoot = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
  // The repository or a standalone folder: each keeps the widget bundle in its own place.
  const files = serverFiles(root);

  const jwtSecret = text(env, 'JWT_SECRET');
  if (jwtSecret !== null && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  if (jwtSecret === null && production) throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');

  const logLevel = (text(env, 'LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);

  const corsRaw = text(env, 'CORS_ORIGINS');
  const corsOrigins = (corsRaw ?? (production ? '' : 'http://localhost:*,http://127.0.0.1:*'))
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin === '*') throw new ConfigError('CORS_ORIGINS', 'list the allowed origins; "*" is not accepted');
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError('CORS_ORIGINS', `not an origin: "${origin}"`);
  }

  const metricsToken = text(env, 'METRICS_TOKEN');
  // Guessed online only, but a scrape of every instance carries it: as long as the other secrets.
  if (metricsToken !== null && metricsToken.length < 32) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 32 characters (e.g. openssl rand -hex 32)');
  }

  const webhookSecret = text(env, 'WEBHOOK_SECRET');
  // HMAC-SHA256 keys: a short secret can be guessed offline from one signed request.
  if (webhookSecret !== null && Buffer.byteLength(webhookSecret, 'utf8') < 32) {
    throw new ConfigError('WEBHOOK_SECRET', 'must be at least 32 bytes (e.g. openssl rand -base64 32)');
  }
  const n8nWebhookUrl = url(env, 'N8N_WEBHOOK_URL', null);
  if (n8nWebhookUrl && !webhookSecret) throw new ConfigError('WEBHOOK_SECRET', 'is required when N8N_WEBHOOK_URL is set');
  const feedbackWebhookUrl = url(env, 'FEEDBACK_WEBHOOK_URL', null);
  if (feedbackWebhookUrl && !webhookSecret) throw new ConfigError('WEBHOOK_SECRET', 'is required when FEEDBACK_WEBHOOK_URL is set');
  const n8nApiUrl = url(env, 'N8N_API_URL', null);
  const n8nApiKey = text(env, 'N8N_API_KEY');
  if (n8nApiUrl && !n8nApiKey) throw new ConfigError('N8N_API_KEY', 'is required when N8N_API_URL is set');

  // The sweep retries the tasks of a runner instance silent for RUNNER_LOST_AFTER_SECONDS: a live
  // instance must get several beats in within that time, or a slow beat would cost it its tasks.
  const runnerHeartbeatIntervalMs = integer(env, 'RUNNER_HEARTBEAT_INTERVAL_MS', 10_000, 100, 600_000);
  const runnerLostAfterSeconds = integer(env, 'RUNNER_LOST_AFTER_SECONDS', 30, 1, 86_400);
  if (runnerLostAfterSeconds * 1000 < 2 * runnerHeartbeatIntervalMs) {
    throw new ConfigError(
      'RUNNER_LOST_AFTER_SECONDS',
      `must be at least twice RUNNER_HEARTBEAT_INTERVAL_MS (${runnerHeartbeatIntervalMs} ms), got ${runnerLostAfterSeconds} s`,
    );
  }

  return {
    production,
    port: integer(env, 'PORT', 8787, 0, 65535),
    host: text(env, 'HOST') ?? '127.0.0.1',
    dataDir: fromRoot(text(env, 'DATA_DIR') ?? files.dataDir),
    databaseUrl: url(env, 'DATABASE_URL', null, ['postgres:', 'postgresql:']),
    jwtSecret,
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 3600, 10, 86_400),
    refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
    supabaseJwtSecret: text(env, 'SUPABASE_JWT_SECRET'),
    supabaseJwksUrl: url(env, 'SUPABASE_JWKS_URL', null),
    corsOrigins,
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    llm: {
      baseUrl: url(env, 'LLM_BASE_URL', 'https://openrouter.ai/api/v1')!,
      apiKey: text(env, 'LLM_API_KEY'),
      model: text(env, 'LLM_MODEL') ?? 'openai/gpt-4o-mini',
      maxRetries: integer(env, 'LLM_MAX_RETRIES', 3, 0, 10),
      systemPrompt: text(env, 'LLM_SYSTEM_PROMPT') ?? 'You are a helpful assistant embedded in a website chat. Answer concisely.',
    },
    demoReplyDelayMs: integer(env, 'DEMO_REPLY_DELAY_MS', 1500, 0, 600_000),
    demoWordDelayMs: integer(env, 'DEMO_WORD_DELAY_MS', 40, 0, 10_000),
    // Each write is a row update and a notification every open stream re-reads: below 10 ms the
    // writes cost more than a visitor can see; above 5 s the reply no longer looks streamed.
    streamFlushIntervalMs: integer(env, 'STREAM_FLUSH_INTERVAL_MS', 100, 10, 5_000),
    chatReplyTimeoutSeconds: integer(env, 'CHAT_REPLY_TIMEOUT_SECONDS', 120, 1, 86_400),
    n8nWebhookUrl,
    relayPublicUrl: url(env, 'RELAY_PUBLIC_URL', null),
    n8nApi: n8nApiUrl && n8nApiKey ? { url: n8nApiUrl.replace(/\/+$/, ''), key: n8nApiKey } : null,
    webhookSecret,
    chatFeatures: { metadataMaxBytes: integer(env, 'METADATA_MAX_BYTES', 4096, 2, 8192), feedbackWebhookUrl },
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    rateLimits: {
      sendPerVisitorPerMinute: integer(env, 'RATE_LIMIT_SEND_PER_VISITOR', 20, 0, 100_000),
      sendPerIpPerMinute: integer(env, 'RATE_LIMIT_SEND_PER_IP', 60, 0, 100_000),
      sessionPerIpPerMinute: integer(env, 'RATE_LIMIT_SESSION_PER_IP', 30, 0, 100_000),
      refreshPerIpPerMinute: integer(env, 'RATE_LIMIT_REFRESH_PER_IP', 60, 0, 100_000),
      taskPerVisitorPerMinute: integer(env, 'RATE_LIMIT_TASK_PER_VISITOR', 20, 0, 100_000),
      taskPerIpPerMinute: integer(env, 'RATE_LIMIT_TASK_PER_IP', 60, 0, 100_000),
      retryPerVisitorPerMinute: integer(env, 'RATE_LIMIT_RETRY_PER_VISITOR', 10, 0, 100_000),
      retryPerIpPerMinute: integer(env, 'RATE_LIMIT_RETRY_PER_IP', 30, 0, 100_000),
      streamPerVisitorPerMinute: integer(env, 'RATE_LIMIT_STREAM_PER_VISITOR', 30, 0, 100_000),
      streamPerIpPerMinute: integer(env, 'RATE_LIMIT_STREAM_PER_IP', 120, 0, 100_000),
      managePerVisitorPerMinute: integer(env, 'RATE_LIMIT_MANAGE_PER_VISITOR', 30, 0, 100_000),
      managePerIpPerMinute: integer(env, 'RATE_LIMIT_MANAGE_PER_IP', 120, 0, 100_000),
      uploadPerVisitorPerMinute: integer(env, 'RATE_LIMIT_UPLOAD_PER_VISITOR', 20, 0, 100_000),
      uploadPerIpPerMinute: integer(env, 'RATE_LIMIT_UPLOAD_PER_IP', 60, 0, 100_000),
    },
    maxStreamsPerVisitor: integer(env, 'MAX_STREAMS_PER_VISITOR', 10, 0, 10_000),
    maxStreamsPerIp: integer(env, 'MAX_STREAMS_PER_IP', 50, 0, 100_000),
    tasks: {
      maxAttempts: integer(env, 'MAX_TASK_ATTEMPTS', 10, 1, 50),
      maxInputBytes: integer(env, 'MAX_TASK_INPUT_BYTES', 16 * 1024, 2, 64 * 1024),
    },
    // About 6,000 tokens of history: a long conversation keeps its last turns, not all of them.
    promptMaxChars: integer(env, 'PROMPT_MAX_CHARS', 24_000, 1_000, 1_000_000),
    sweepIntervalMs: integer(env, 'SWEEP_INTERVAL_MS', 5000, 100, 3_600_000),
    // A task waiting on the model holds no database connection (each step borrows one for a
    // transaction), so the cap is the model's and memory's, not the pool's: a few KB each.
    runnerConcurrency: integer(env, 'RUNNER_CONCURRENCY', 500, 0, 10_000),
    // A dispatch holds a request to n8n until its webhook answers; n8n's main process takes those
    // requests (and in regular mode runs the executions too), so it is offered a few at a time.
    n8nDispatchConcurrency: integer(env, 'N8N_DISPATCH_CONCURRENCY', 16, 1, 1_000),
    runnerPollIntervalMs: integer(env, 'RUNNER_POLL_INTERVAL_MS', 2000, 50, 3_600_000),
    runnerHeartbeatIntervalMs,
    runnerLostAfterSeconds,
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    metrics: { token: metricsToken },
    uploads: loadUploadConfig(env, {
      text,
      integer,
      boolean,
      url,
      fail: (name, message) => {
        throw new ConfigError(name, message);
      },
    }),
    logLevel,
    widgetBundlePath: fromRoot(text(env, 'WIDGET_BUNDLE') ?? files.widgetBundle),
    migrationsDir: files.sqlDir,
  };
}
