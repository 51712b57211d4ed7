import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { signWebhook } from '../src/webhooks/standard-webhooks.js';
import { taskCallbackId } from '../src/webhooks/task-callback-id.js';
import { engines, key, testApp, type TestApp } from './support/test-app.js';

// Arbitrary JSON values and strings — NUL, lone surrogates, deep nesting, huge and odd numbers
// among them — thrown at every endpoint: bodies, query strings, path ids and headers. However
// hostile, no answer is a 5xx, every error is `{ error: { code, message } }`, and a refused
// request leaves every table as it was. (Rate limits are off here so the input reaches the
// validators; the limits have their own tests.)
const RUNS = Number(process.env.SERVER_FUZZ_RUNS ?? 120);
const SECRET = 'fuzz-webhook-secret-fuzz-webhook-secret-0123';
const LIMITS_OFF = Object.fromEntries(
  [
    'RATE_LIMIT_SEND_PER_VISITOR',
    'RATE_LIMIT_SEND_PER_IP',
    'RATE_LIMIT_SESSION_PER_IP',
    'RATE_LIMIT_REFRESH_PER_IP',
    'RATE_LIMIT_TASK_PER_VISITOR',
    'RATE_LIMIT_TASK_PER_IP',
    'RATE_LIMIT_RETRY_PER_VISITOR',
    'RATE_LIMIT_RETRY_PER_IP',
    'RATE_LIMIT_STREAM_PER_VISITOR',
    'RATE_LIMIT_STREAM_PER_IP',
    'MAX_STREAMS_PER_VISITOR',
    'MAX_STREAMS_PER_IP',
  ].map((name) => [name, '0']),
);

/** Any UTF-16 code units, lone surrogates and NUL included. */
const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }).map((units) => String.fromCharCode(...units));
const edgeString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  codeUnits,
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    'x\udbffy',
    '\ud83d\ude00',
    '\u202e',
    '\ufeff',
    '%00',
    '\\u0000',
    '__proto__',
    'constructor',
    'chat.reply',
    '9b2f1c3e-0000-4000-8000-000000000000',
    'x'.repeat(16_001),
  ),
);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, 1e308, -0, 50, 51, 86_401));
/** Objects and arrays `levels` deep, alternating. */
const deep = fc.integer({ min: 20, max: 4000 }).map((levels) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
});
const { json } = fc.letrec<{ json: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    edgeString,
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('json'), { maxLength: 4 }),
  object: fc.dictionary(edgeString, tie('json'), { maxKeys: 4 }),
}));
const anyValue = fc.oneof(json, deep);

/** Fields the endpoints know, with hostile values: often close to valid, so they reach the database. */
const plausible = fc.record(
  {
    content: fc.oneof(edgeString, anyValue),
    idempotencyKey: fc.oneof(edgeString, fc.constant(null)),
    conversationId: fc.oneof(fc.constant(null), fc.uuid(), edgeString),
    kind: fc.oneof(fc.constantFrom('fuzz.kind', 'chat.reply', 'x'), edgeString),
    input: anyValue,
    maxAttempts: number,
    timeoutSeconds: number,
    refreshToken: edgeString,
    type: fc.constantFrom('start', 'progress', 'output', 'complete', 'fail', 'cancel', 'nope'),
    attempt: fc.oneof(fc.constant(1), number),
    statusMessage: edgeString,
    executionId: edgeString,
    text: edgeString,
    partialText: edgeString,
    replace: fc.oneof(fc.boolean(), anyValue),
    result: anyValue,
    error: fc.oneof(fc.record({ code: edgeString, message: edgeString, retryable: fc.boolean(), details: anyValue }), anyValue),
  },
  { requiredKeys: [] },
);
/** Bodies shaped like each endpoint's, with hostile values: many pass the schema and reach the database. */
const sendShaped = fc.record(
  { content: edgeString, idempotencyKey: edgeString, conversationId: fc.constantFrom(null, undefined) },
  { requiredKeys: ['content', 'idempotencyKey'] },
);
const taskShaped = fc.record(
  {
    kind: fc.oneof(fc.constantFrom('fuzz.kind', 'chat.reply'), edgeString),
    input: anyValue,
    idempotencyKey: edgeString,
    maxAttempts: number,
  },
  { requiredKeys: ['kind', 'input', 'idempotencyKey'] },
);
const hookShaped = fc.oneof(
  fc.record({ type: fc.constant('progress'), attempt: fc.constant(1), statusMessage: edgeString }),
  fc.record({ type: fc.constant('output'), attempt: fc.constant(1), text: edgeString }),
  fc.record({ type: fc.constant('complete'), attempt: fc.constant(1), result: anyValue }),
  fc.record({
    type: fc.constant('fail'),
    attempt: fc.constant(1),
    error: fc.record({ code: edgeString, message: edgeString, details: anyValue }),
  }),
);
const refreshShaped = fc.record({ refreshToken: edgeString });
/** A body's text: JSON of anything, or not JSON at all. */
const bodyText = fc.oneof(
  plausible.map((v) => JSON.stringify(v)),
  anyValue.map((v) => JSON.stringify(v) ?? 'null'),
  edgeString,
  fc.constantFrom('{', '[1,', '{"content":"a\u0000"}', '{"a":1}}', 'nul', '\ud800', '{"__proto__":{"x":1}}', '1e999', '"\\ud800"'),
);
/** A path segment: encoded arbitrary text, or malformed escapes. */
const segment = fc.oneof(
  edgeString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '')) || '%20'),
  fc.uuid(),
  fc.constantFrom('%ZZ', '%', '%00', '%E0%A4%A', '..%2F..', '%2e%2e', '%uD800', 'null', '0', '-1'),
);
/** Header text a client can send (visible Latin-1). */
const headerText = fc
  .array(
    fc.integer({ min: 0x21, max: 0xff }).filter((c) => c !== 0x7f),
    { maxLength: 30 },
  )
  .map((codes) => String.fromCharCode(...codes));

describe.each(engines)('the API fuzzed, on $engine', ({ open }) => {
  let db: Database;
  let t: TestApp;
  let token: string;
  let conversationId: string;
  let chatTaskId: string;
  let hookTaskId: string;
  let snapshotSql: string;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    db = await open();
    t = await testApp(db, { ...LIMITS_OFF, WEBHOOK_SECRET: SECRET });
    ({ token } = await t.visitor());
    const sent = await t.send(token, { content: 'hello', idempotencyKey: key() });
    conversationId = sent.body.conversationId;
    chatTaskId = sent.body.task.id;
    const task = await t.request('/api/tasks', { method: 'POST', token, json: { kind: 'fuzz.hook', input: {}, idempotencyKey: key() } });
    hookTaskId = (await task.json()).id;
    await db.asWorker((tx) => tx.query("select task_claim(10, array['fuzz.hook'])"));
    // Every table the server can write, counted, and the version every task update moves.
    const { rows } = await db.query<{ name: string }>(
      `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'app_internal') order by 1`,
    );
    snapshotSql = `select json_build_object(${rows.map((r) => `'${r.name}', (select count(*) from ${r.name})`).join(', ')},
      'task versions', (select coalesce(sum(version), 0) from public.async_tasks)) as state`;
  });
  afterAll(async () => {
    console.info(`fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    await db?.close();
  });

  const state = async () => (await db.query<{ state: unknown }>(snapshotSql)).rows[0]!.state;

  /** Makes the request and checks the rules; `what` names it when one fails. */
  async function expectSound(what: string, request: () => Promise<Response>) {
    const before = await state();
    const res = await request();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.headers.get('content-type')?.includes('text/event-stream')) {
      await res.body?.cancel();
      expect(res.status, what).toBe(200);
      return;
    }
    const text = await res.text();
    expect(res.status, `${what} → ${text.slice(0, 300)}`).toBeLessThan(500);
    if (res.status < 400) return;
    const body = JSON.parse(text);
    expect(Object.keys(body), what).toEqual(['error']);
    expect(Object.keys(body.error).sort(), what).toEqual(['code', 'message']);
    expect(body.error.code, what).toMatch(/^[a-z_]+$/);
    expect(typeof body.error.message === 'string' && body.error.message.length > 0, what).toBe(true);
    expect(await state(), `${what} was refused (${res.status}) but wrote`).toEqual(before);
  }

  /** Each POST endpoint with its own body shape, or any body at all. */
  const posts = () =>
    fc.oneof(
      ...(
        [
          ['/api/session', fc.constant({})],
          ['/api/session/refresh', refreshShaped],
          ['/api/chat/send', sendShaped],
          ['/api/tasks', taskShaped],
          [`/api/tasks/${chatTaskId}/cancel`, fc.constant({})],
          [`/api/tasks/${hookTaskId}/retry`, fc.constant({})],
        ] as const
      ).map(([path, shape]) =>
        fc.tuple(
          fc.constant(path),
          fc.oneof(
            shape.map((v) => JSON.stringify(v)),
            bodyText,
          ),
        ),
      ),
    );

  it('bodies: every POST endpoint, with and without a token, as JSON or another type', async () => {
    await fc.assert(
      fc.asyncProperty(
        posts(),
        fc.boolean(),
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/merge-patch+json', ''),
        async ([path, body], withToken, contentType) => {
          await expectSound(`POST ${path} ${contentType} ${JSON.stringify(body.slice(0, 120))}`, () =>
            t.request(path, {
              method: 'POST',
              body,
              headers: { ...(contentType ? { 'content-type': contentType } : {}) },
              ...(withToken ? { token } : {}),
            }),
          );
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('bodies: signed callbacks (past the signature, into the validator and the worker functions)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hookShaped.map((v) => JSON.stringify(v)),
          bodyText,
        ),
        async (raw) => {
          let attempt = 1;
          try {
            const parsed = JSON.parse(raw) as { attempt?: unknown };
            if (Number.isInteger(parsed?.attempt) && (parsed.attempt as number) > 0) attempt = parsed.attempt as number;
          } catch {
            // not JSON: signed all the same
          }
          await expectSound(`callback ${JSON.stringify(raw.slice(0, 120))}`, () =>
            t.request(`/api/hooks/tasks/${hookTaskId}`, {
              method: 'POST',
              body: raw,
              headers: { 'content-type': 'application/json', ...signWebhook(SECRET, raw, { id: taskCallbackId(hookTaskId, attempt) }) },
            }),
          );
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('path ids: every endpoint with an id', async () => {
    await fc.assert(
      fc.asyncProperty(segment, fc.boolean(), async (id, withToken) => {
        for (const [method, path] of [
          ['GET', `/api/tasks/${id}`],
          ['GET', `/api/tasks/${id}/stream`],
          ['POST', `/api/tasks/${id}/cancel`],
          ['POST', `/api/tasks/${id}/retry`],
          ['GET', `/api/conversations/${id}`],
          ['GET', `/api/conversations/${id}/stream`],
          ['POST', `/api/hooks/tasks/${id}`],
          ['GET', `/api/${id}`],
          ['GET', `/${id}`],
        ] as const) {
          await expectSound(`${method} ${path}`, () => t.request(path, { method, ...(withToken ? { token } : {}) }));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('query strings: the history page, the streams and the health endpoints', async () => {
    const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom('before', 'limit'), edgeString), edgeString), { maxLength: 3 });
    const raw = fc.constantFrom(
      'limit=%ZZ',
      'before=1e3',
      'limit=0x10',
      'before=99999999999999999999',
      'limit=&limit=5',
      'before',
      '%',
      '&&=',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          query.map((pairs) =>
            pairs
              .map(
                ([k, v]) =>
                  `${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, ''))}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}`,
              )
              .join('&'),
          ),
          raw,
        ),
        async (q) => {
          for (const path of [
            `/api/conversations/${conversationId}`,
            `/api/conversations/${conversationId}/stream`,
            `/api/tasks/${chatTaskId}`,
            `/api/tasks/${chatTaskId}/stream`,
            '/healthz',
            '/readyz',
          ]) {
            await expectSound(`GET ${path}?${q}`, () => t.request(`${path}?${q}`, { token }));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('headers: Last-Event-ID, Authorization and Content-Type on the streams and reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(headerText, fc.constantFrom('-1', '0', '1e3', '99999999999999999999', ' 5 ', '5,6', '0x10')),
        fc.oneof(
          fc.constant(`Bearer ${'TOKEN'}`),
          headerText.map((h) => `Bearer ${h}`),
          headerText,
        ),
        headerText,
        async (lastEventId, authorization, contentType) => {
          for (const path of [
            `/api/conversations/${conversationId}/stream`,
            `/api/tasks/${chatTaskId}/stream`,
            `/api/conversations/${conversationId}`,
          ]) {
            await expectSound(`GET ${path} Last-Event-ID ${JSON.stringify(lastEventId)} auth ${JSON.stringify(authorization)}`, () =>
              t.request(path, {
                headers: {
                  'last-event-id': lastEventId,
                  authorization: authorization === 'Bearer TOKEN' ? `Bearer ${token}` : authorization,
                  'content-type': contentType,
                },
              }),
            );
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
