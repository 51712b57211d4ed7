import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { api, isErrorBody, type Api } from './support/api.js';
import { connect, rowCounts } from './support/db-checks.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const hasPostgres = checkRequirement(requirements.postgres);
const RUNS = Number(process.env.STRESS_FUZZ_RUNS ?? 60);

// Every body-taking endpoint, fed random and malformed bodies over real HTTP: each answer is a
// 4xx with the contract's error shape, and the database is exactly as before.
describe.runIf(hasPostgres)('the API fuzzed with random and malformed bodies', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client;
  let http: Api;
  let token: string;
  let taskId: string;
  let conversationId: string;
  const answers = new Map<number, number>();

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    server = await startServerProcess({
      databaseUrl: database.url,
      llmUrl: llm.url,
      // Streams are opened one after the other and dropped: no cap, so a slot still being freed refuses none.
      env: { WEBHOOK_SECRET: 'fuzz-webhook-secret-fuzz-webhook-secret', MAX_STREAMS_PER_VISITOR: '0' },
    });
    sql = await connect(database.url);
    http = api(server.baseUrl);
    ({ token } = await http.visitor());
    const sent = await http.call('POST', '/api/chat/send', { token, json: { content: 'hello', idempotencyKey: 'fuzz-seed' } });
    conversationId = sent.json.conversationId;
    const task = await http.call('POST', '/api/tasks', { token, json: { kind: 'fuzz.seed', input: {}, idempotencyKey: 'fuzz-task' } });
    taskId = task.json.id;
    // Let the seed reply finish so nothing moves during the fuzz.
    for (
      let i = 0;
      i < 200 && Number((await sql.query(`select count(*) as n from chat_messages where role = 'assistant'`)).rows[0].n) < 1;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    report('fuzz', { runsPerProperty: RUNS, answers: Object.fromEntries(answers) });
    await sql?.end();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  const endpoints = () => [
    '/api/session',
    '/api/session/refresh',
    '/api/chat/send',
    '/api/tasks',
    `/api/tasks/${taskId}/cancel`,
    `/api/tasks/${taskId}/retry`,
    `/api/hooks/tasks/${taskId}`,
  ];

  // Bodies that can never be valid for any endpoint.
  const invalidBody = fc.oneof(
    // malformed JSON text
    // (a blank body counts as `{}` by design, so it is left out)
    fc.string({ maxLength: 200 }).filter((s) => {
      if (s.trim() === '') return false;
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
    fc.constantFrom('{', '{"content":', '[1,2', '{"a":1}}', 'nul', '\u0000', '{"content":"x"', '\ud800', '{"__proto__":{"x":1}}'),
    // JSON that is not an object
    fc
      .oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.jsonValue(), { maxLength: 5 }),
        fc.string({ maxLength: 50 }),
      )
      .map((v) => JSON.stringify(v)),
    // objects with an unknown field beside the right ones, wrong types for the right ones
    fc
      .record(
        {
          content: fc.oneof(
            fc.integer(),
            fc.constant(null),
            fc.array(fc.string()),
            fc.constant(''),
            fc.constant('   '),
            fc.constant('x'.repeat(16_001)),
          ),
          idempotencyKey: fc.oneof(fc.integer(), fc.constant(''), fc.constant('k'.repeat(256))),
          kind: fc.oneof(fc.constant('chat.reply'), fc.constant('UPPER'), fc.integer(), fc.constant('')),
          input: fc.jsonValue(),
          refreshToken: fc.oneof(fc.integer(), fc.constant('')),
          type: fc.oneof(fc.constant('complete'), fc.constant('nonsense'), fc.integer()),
          attempt: fc.oneof(fc.constant(0), fc.constant(-1), fc.string(), fc.double()),
          conversationId: fc.oneof(fc.constant('not-a-uuid'), fc.integer()),
          ['unexpected_' as string]: fc.jsonValue(),
        },
        { requiredKeys: ['unexpected_'] },
      )
      .map((o) => JSON.stringify(o)),
  );

  const expectRejected = (res: { status: number; json: unknown }, what: string) => {
    answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
    expect(res.status, what).toBeGreaterThanOrEqual(400);
    expect(res.status, what).toBeLessThan(500);
    expect(isErrorBody(res.json), `${what} → ${JSON.stringify(res.json)}`).toBe(true);
  };

  it('answers every malformed body on every endpoint with a 4xx error, with and without a token, and changes nothing', async () => {
    const before = await rowCounts(sql);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints()), invalidBody, fc.boolean(), async (path, body, withToken) => {
        const res = await http.call('POST', path, { body, ...(withToken ? { token } : {}) });
        expectRejected(res, `POST ${path} ${body.slice(0, 80)}`);
      }),
      { numRuns: RUNS * endpoints().length },
    );
    expect(await rowCounts(sql)).toEqual(before);
  });

  it('rejects wrong content types, huge bodies and strange ids and queries', async () => {
    const before = await rowCounts(sql);
    for (const path of endpoints()) {
      expectRejected(await http.call('POST', path, { token, body: '{}', headers: { 'content-type': 'text/plain' } }), `text/plain ${path}`);
      expectRejected(
        await http.call('POST', path, { token, body: JSON.stringify({ content: 'x'.repeat(70_000), idempotencyKey: 'huge' }) }),
        `huge ${path}`,
      );
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 30 }), async (id, query) => {
        const segment = encodeURIComponent(id) || '%20';
        for (const path of [
          `/api/tasks/${segment}`,
          `/api/conversations/${segment}`,
          `/api/conversations/${conversationId}?limit=${encodeURIComponent(query)}x`,
          `/api/conversations/${conversationId}?before=-${encodeURIComponent(query)}`,
        ]) {
          const res = await http.call('GET', path, { token });
          expectRejected(res, `GET ${path}`);
        }
      }),
      { numRuns: RUNS },
    );
    expect(await rowCounts(sql)).toEqual(before);
  });

  // Values PostgreSQL cannot store (NUL, lone surrogates) and JSON nested deeper than the
  // validators' stacks, in every field of otherwise valid bodies: each a 400 naming the field.
  it('refuses what the database cannot store, in any field, with a 400 that names it, and changes nothing', async () => {
    const before = await rowCounts(sql);
    const unstorable = fc.oneof(
      fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udbff'),
      fc
        .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud800', '\udc00'), fc.string({ maxLength: 10 }))
        .map((p) => p.join('')),
    );
    // The deep values as JSON text (JSON.stringify itself recurses): objects and arrays alternating,
    // up to about 40 KB (within the body limit).
    const deep = fc.integer({ min: 33, max: 10_000 }).map((levels) => {
      const open = Array.from({ length: levels }, (_, i) => (i % 2 ? '[' : '{"a":')).join('');
      const close = Array.from({ length: levels }, (_, i) => (i % 2 ? ']' : '}'))
        .reverse()
        .join('');
      return `${open}1${close}`;
    });
    const body = fc.oneof(
      unstorable.map((bad) => ['/api/chat/send', JSON.stringify({ content: bad, idempotencyKey: 'k-nul' })] as const),
      unstorable.map((bad) => ['/api/chat/send', JSON.stringify({ content: 'hi', idempotencyKey: bad })] as const),
      unstorable.map((bad) => ['/api/tasks', JSON.stringify({ kind: 'fuzz.x', input: { note: bad }, idempotencyKey: 'k-nul' })] as const),
      unstorable.map((bad) => ['/api/tasks', JSON.stringify({ kind: 'fuzz.x', input: { [bad]: 1 }, idempotencyKey: 'k-nul' })] as const),
      unstorable.map((bad) => ['/api/tasks', JSON.stringify({ kind: 'fuzz.x', input: {}, idempotencyKey: bad })] as const),
      deep.map((text) => ['/api/tasks', `{"kind":"fuzz.x","idempotencyKey":"k-deep","input":${text}}`] as const),
      deep.map((text) => ['/api/chat/send', text] as const),
    );
    await fc.assert(
      fc.asyncProperty(body, async ([path, text]) => {
        const res = await http.call('POST', path, { token, body: text });
        expectRejected(res, `POST ${path}`);
        expect(res.status).toBe(400);
        expect(res.json.error.message).toMatch(/NUL character|lone surrogate|nests deeper than 32 levels/);
      }),
      { numRuns: RUNS * 2 },
    );
    expect(await rowCounts(sql)).toEqual(before);
  });

  it('streams take any Last-Event-ID', async () => {
    const lastEventId = fc.oneof(
      fc.stringMatching(/^[\x21-\x7e]{0,30}$/),
      fc.constantFrom('-1', '0', '1e3', '99999999999999999999', '5,6', '0x10'),
    );
    await fc.assert(
      fc.asyncProperty(lastEventId, async (id) => {
        const res = await http.call('GET', `/api/conversations/${conversationId}/stream`, { token, headers: { 'last-event-id': id } });
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
        expect(res.status, `Last-Event-ID ${JSON.stringify(id)}`).toBe(200);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses forged and malformed tokens on every endpoint with a 401', async () => {
    const forged = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.constant(`${token.slice(0, -4)}AAAA`),
      fc.constant('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints().slice(2), `/api/conversations/${conversationId}`), forged, async (path, bad) => {
        const method = path.startsWith('/api/conversations') ? 'GET' : 'POST';
        const res = await http.call(method, path, {
          ...(method === 'POST' ? { json: {} } : {}),
          headers: { authorization: `Bearer ${bad}` },
        });
        expectRejected(res, `${method} ${path} with ${bad.slice(0, 40)}`);
        expect(res.status).toBe(401);
      }),
      { numRuns: RUNS },
    );
  });
});
