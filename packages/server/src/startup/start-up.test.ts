import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { findWorkspaceRoot } from '../workspace.js';
import { connectFailureMessage, DatabaseOpenError } from './database-open-error.js';
import { databaseTarget } from './database-url.js';
import { startUpSummary } from './start-up-summary.js';
import { startUpWarnings } from './start-up-warnings.js';

const config = (env: Record<string, string>) => loadConfig(env, findWorkspaceRoot());
const refused = (address: string, port: number) =>
  Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), { code: 'ECONNREFUSED', address, port });

describe('databaseTarget', () => {
  it('names host:port, database and user, never the password', () => {
    const target = databaseTarget('postgres://postgres.abcd:s3cret@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?sslmode=require');
    expect(target).toEqual({
      address: 'aws-0-eu-central-1.pooler.supabase.com:5432',
      database: 'postgres',
      user: 'postgres.abcd',
      transactionPooler: false,
    });
    expect(JSON.stringify(target)).not.toContain('s3cret');
    expect(databaseTarget('postgresql://db.internal/app')).toMatchObject({ address: 'db.internal:5432', database: 'app', user: null });
  });

  it.each([
    ['postgres://postgres.abcd:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres', true],
    ['postgres://app:pw@pgbouncer.internal:6432/app?pgbouncer=true', true],
    ['postgres://app:pw@db.abcd.supabase.co:5432/postgres?sslmode=require', false],
    ['postgres://app:pw@pgbouncer.internal:6432/app', false],
  ])('%s is a transaction-mode pooler: %s', (url, pooler) => {
    expect(databaseTarget(url).transactionPooler).toBe(pooler);
  });
});

describe('DatabaseOpenError', () => {
  it('names DATABASE_URL with where it points, the reason in words, and masks a password a message would quote', () => {
    const url = 'postgres://app:hunter22@127.0.0.1:1/chat';
    const error = new DatabaseOpenError({ databaseUrl: url, dataDir: '/unused' }, new Error('password hunter22 refused'));
    expect(error.variable).toBe('DATABASE_URL');
    expect(error.message).toBe(
      'DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1 (database "chat", user "app"): password *** refused',
    );
    expect(new DatabaseOpenError({ databaseUrl: url, dataDir: '/unused' }, refused('127.0.0.1', 1)).message).toBe(
      'DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1 (database "chat", user "app"): connect ECONNREFUSED 127.0.0.1:1 (connection refused)',
    );
  });

  it('names DATA_DIR for the embedded database', () => {
    const error = new DatabaseOpenError({ databaseUrl: null, dataDir: '/srv/chat/.data/pglite' }, new Error('EACCES: permission denied'));
    expect(error.variable).toBe('DATA_DIR');
    expect(error.message).toBe('DATA_DIR: cannot open the embedded database (PGlite) in /srv/chat/.data/pglite: EACCES: permission denied');
  });

  it('spells out a failure on every address of a host name (localhost: ::1 and 127.0.0.1), whose own message is empty', () => {
    const both = new AggregateError([refused('::1', 5432), refused('127.0.0.1', 5432)], '');
    expect(connectFailureMessage(both)).toBe(
      'connect ECONNREFUSED ::1:5432 (connection refused); connect ECONNREFUSED 127.0.0.1:5432 (connection refused)',
    );
  });
});

describe('startUpWarnings', () => {
  const secret = 'w'.repeat(32);

  it('warns that n8n cannot reach the embedded database, and says what to set', () => {
    const [warning, ...rest] = startUpWarnings(config({ N8N_WEBHOOK_URL: 'http://n8n:5678/webhook/x', WEBHOOK_SECRET: secret }));
    expect(rest).toEqual([]);
    expect(warning?.variable).toBe('DATABASE_URL');
    expect(warning?.message).toMatch(/n8n cannot reach.*Set DATABASE_URL to a PostgreSQL that both this server and n8n reach/);
  });

  it("warns about Supabase's transaction pooler, not about its session pooler or a direct connection", () => {
    const pooler = startUpWarnings(
      config({ DATABASE_URL: 'postgres://postgres.ref:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres' }),
    );
    expect(pooler.map((w) => w.variable)).toEqual(['DATABASE_URL']);
    expect(pooler[0]?.message).toMatch(/transaction-mode pooler.*LISTEN/);
    expect(pooler[0]?.message).not.toContain(':pw@');
    expect(
      startUpWarnings(config({ DATABASE_URL: 'postgres://postgres.ref:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres' })),
    ).toEqual([]);
    expect(startUpWarnings(config({}))).toEqual([]);
  });
});

describe('startUpSummary', () => {
  it('says which database, model, worker, origins and metrics, with no secret in it', () => {
    const summary = startUpSummary(
      config({
        DATABASE_URL: 'postgres://app:db-password-1@db.internal:5433/chat',
        LLM_API_KEY: 'sk-or-very-secret',
        LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
        LLM_MODEL: 'llama3.2',
        RUNNER_CONCURRENCY: '4',
        CORS_ORIGINS: 'https://www.example.com',
        METRICS_TOKEN: 'm'.repeat(32),
      }),
    );
    expect(summary).toMatchObject({
      database: { engine: 'postgres', address: 'db.internal:5433', database: 'chat' },
      llm: { mode: 'model', host: '127.0.0.1:11434', model: 'llama3.2', key: true },
      dispatch: { mode: 'runner', concurrency: 4 },
      corsOrigins: ['https://www.example.com'],
      metrics: 'token',
    });
    expect(summary.lines).toEqual([
      'database: PostgreSQL at db.internal:5433, database "chat"',
      'LLM: llama3.2 at 127.0.0.1:11434',
      'replies: built-in runner, up to 4 at a time',
      'origins: https://www.example.com',
      'metrics: GET /metrics with the METRICS_TOKEN bearer token',
    ]);
    const text = JSON.stringify(summary);
    for (const secret of ['db-password-1', 'sk-or-very-secret', 'm'.repeat(32)]) expect(text).not.toContain(secret);
  });
});
