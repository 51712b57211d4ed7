import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, migrate, openPglite, openPostgres, type Database } from '@app/db';
import { checkRequirement, requirements } from '@app/test-support';
import { ensurePgliteTemplate } from './pglite-template.js';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createEventHub, type EventHub } from '../../src/events/event-hub.js';
import { createUploadServices, type UploadServices } from '../../src/uploads/upload-services.js';
import { findWorkspaceRoot } from '../../src/workspace.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
const root = findWorkspaceRoot();

/** A config as `loadConfig` makes it, with test-friendly overrides. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', CORS_ORIGINS: 'https://allowed.example', ...env }, root);
}

/**
 * A private PGlite with the migrations applied: a copy of the template folder the global setup
 * built (one per test file), removed again on `close()`.
 */
export async function memoryDatabase(): Promise<Database> {
  const template = process.env.SERVER_TEST_PGLITE_TEMPLATE ?? (await ensurePgliteTemplate());
  const dir = mkdtempSync(join(tmpdir(), 'async-chat-server-test-'));
  cpSync(template, dir, { recursive: true });
  const db = await openPglite({ dataDir: dir });
  await migrate(db, { sqlDir: testConfig().migrationsDir });
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A new database on the local PostgreSQL with the migrations applied, dropped again on `close()`. */
export async function postgresDatabase(): Promise<Database> {
  const database = await createTestDatabase();
  const db = await openPostgres({ connectionString: database.url });
  await migrate(db, { sqlDir: testConfig().migrationsDir });
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      await database.drop();
    },
  });
}

/** The engines a test can run on here: PGlite always, PostgreSQL when one is reachable. */
export const engines = [
  { engine: 'PGlite', open: memoryDatabase },
  ...(checkRequirement(requirements.postgres) ? [{ engine: 'PostgreSQL', open: postgresDatabase }] : []),
];

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Database;
  hub: EventHub;
  config: Config;
  /** The app's upload storage, read URLs and cleanup. */
  uploads: UploadServices;
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** A new anonymous visitor. */
  visitor(): Promise<{ token: string; userId: string; refreshToken: string }>;
  send(token: string, body: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

/** The app over a database, with the LISTEN fan-out started, called through `app.request()`. */
export async function testApp(
  db: Database,
  env: Record<string, string> = {},
  extra: Partial<Parameters<typeof createApp>[0]> = {},
): Promise<TestApp> {
  const config = testConfig(env);
  const hub = createEventHub({ db });
  await hub.start();
  const uploads = extra.uploads ?? createUploadServices({ config, db, visitorKey: TEST_SECRET, ...(extra.now ? { now: extra.now } : {}) });
  const app = createApp({ config, db, jwtSecret: TEST_SECRET, hub, ...extra, uploads });
  const request: TestApp['request'] = (path, { token, json, headers, ...init } = {}) =>
    Promise.resolve(
      app.request(path, {
        ...init,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(headers as Record<string, string>),
        },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      }),
    );
  return {
    app,
    db,
    hub,
    config,
    uploads,
    request,
    async visitor() {
      const res = await request('/api/session', { method: 'POST' });
      const body = (await res.json()) as { accessToken: string; userId: string; refreshToken: string };
      return { token: body.accessToken, userId: body.userId, refreshToken: body.refreshToken };
    },
    async send(token, body) {
      const res = await request('/api/chat/send', { method: 'POST', token, json: body });
      return { status: res.status, body: await res.json() };
    },
  };
}

let keys = 0;
/** A fresh idempotency key. */
export const key = () => `key-${Date.now()}-${++keys}`;
