import type { Database } from '@app/db';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, memoryDatabase, type TestApp } from '../../test/support/test-app.js';
import { jpegWithGps, PDF, pdfWithText, png, pngClaiming, polyglotPng, SVG } from '../../test/support/upload-files.js';

// This file uploads far more files a minute than a visitor would (the limit has a test of its own).
const RELAXED = { RATE_LIMIT_UPLOAD_PER_VISITOR: '1000', RATE_LIMIT_UPLOAD_PER_IP: '1000' };
let db: Database;
let t: TestApp;
let alice: { token: string; userId: string };
let bob: { token: string; userId: string };
beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db, { UPLOAD_MAX_FILE_BYTES: '200000', UPLOAD_MAX_IMAGE_PIXELS: '1000000', ...RELAXED });
  alice = await t.visitor();
  bob = await t.visitor();
});
afterAll(() => db.close());

const upload = (token: string, bytes: Uint8Array, filename?: string, type?: string) =>
  t.request(`/api/uploads${filename === undefined ? '' : `?filename=${encodeURIComponent(filename)}`}`, {
    method: 'POST',
    token,
    body: new Uint8Array(bytes),
    headers: type ? { 'content-type': type } : {},
  });

const storedCount = async () => Number((await db.query<{ n: string }>('select count(*) as n from public.uploads')).rows[0]!.n);

describe('POST /api/uploads', () => {
  it('stores an image, its type and size decided from the content, and answers its read URL', async () => {
    const res = await upload(alice.token, await png(8, 6), 'screen shot.png', 'image/png');
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ filename: 'screen shot.png', mediaType: 'image/png', width: 8, height: 6, inline: true });
    expect(body.url).toMatch(new RegExp(`^/api/uploads/${body.id}/content\\?t=v1\\.`));
    const file = await t.request(body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toMatch(/^inline; filename="screen shot.png"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).width).toBe(8);
  });

  it('strips EXIF and GPS from a photo', async () => {
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const body = await (await upload(alice.token, original, 'holiday.jpg')).json();
    const stored = Buffer.from(await (await t.request(body.url)).arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(stored.includes(Buffer.from('SpyCam'))).toBe(false);
  });

  it('keeps only the image of a polyglot: what came after the PNG is gone', async () => {
    const body = await (await upload(alice.token, await polyglotPng(), 'cat.png')).json();
    const stored = Buffer.from(await (await t.request(body.url)).arrayBuffer());
    expect(stored.includes(Buffer.from('<script>'))).toBe(false);
    expect(stored.includes(Buffer.from([0x50, 0x4b, 0x05, 0x06]))).toBe(false);
  });

  it('stores plain text and serves it as a download', async () => {
    const body = await (await upload(alice.token, Buffer.from('the error says E42\n'), 'log.txt', 'text/plain')).json();
    expect(body).toMatchObject({ mediaType: 'text/plain', inline: false, width: null });
    const file = await t.request(body.url);
    expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="log.txt"/);
    expect(await file.text()).toBe('the error says E42\n');
  });

  it('takes the names browsers give a type: a .csv sent as text/csv is plain text, image/jpg is a JPEG', async () => {
    const csv = await upload(alice.token, Buffer.from('a,b\n1,2\n'), 'table.csv', 'text/csv');
    expect(csv.status).toBe(201);
    expect((await csv.json()).mediaType).toBe('text/plain');
    const jpeg = await upload(alice.token, await jpegWithGps(), 'photo.jpg', 'image/jpg');
    expect(jpeg.status).toBe(201);
  });

  it('stores a PDF as a download', async () => {
    const body = await (await upload(alice.token, PDF, 'invoice.pdf', 'application/pdf')).json();
    expect(body).toMatchObject({ mediaType: 'application/pdf', inline: false });
    expect((await t.request(body.url)).headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it("keeps a PDF's text for the model, and nothing for a PDF without readable text", async () => {
    const withText = await (await upload(alice.token, pdfWithText('Invoice 42: total 99 EUR'), 'invoice.pdf')).json();
    const empty = await (await upload(alice.token, PDF, 'empty.pdf')).json();
    const { rows } = await db.query<{ id: string; text_content: string | null }>(
      'select id, text_content from public.uploads where id = any($1)',
      [[withText.id, empty.id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.text_content]))).toEqual({
      [withText.id]: 'Invoice 42: total 99 EUR',
      [empty.id]: null,
    });
  });

  it('keeps only the last segment of a path-traversal filename, never a path', async () => {
    const body = await (await upload(alice.token, await png(), '../../../etc/passwd.png')).json();
    expect(body.filename).toBe('passwd.png');
    const { rows } = await db.query<{ filename: string; storage_key: string | null }>(
      'select filename, storage_key from public.uploads where id = $1',
      [body.id],
    );
    expect(rows[0]).toEqual({ filename: 'passwd.png', storage_key: null });
    expect((await (await upload(alice.token, await png(), '..\\..\\')).json()).filename).toBe('file');
  });

  describe('refuses, and stores nothing:', () => {
    const refused = async (res: Response, status: number, code: string, message: RegExp) => {
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(message);
    };
    let before: number;
    beforeAll(async () => {
      before = await storedCount();
    });
    afterAll(async () => {
      expect(await storedCount()).toBe(before);
    });

    it('a PNG named .pdf', async () => {
      await refused(
        await upload(alice.token, await png(), 'report.pdf'),
        415,
        'unsupported_media_type',
        /content is a PNG image, but the name "report.pdf" says a PDF/,
      );
    });
    it('a PNG sent as application/pdf', async () => {
      await refused(
        await upload(alice.token, await png(), 'x', 'application/pdf'),
        415,
        'unsupported_media_type',
        /sent as application\/pdf/,
      );
    });
    it('an image whose header claims huge dimensions (never decoded)', async () => {
      await refused(await upload(alice.token, pngClaiming(100_000, 100_000), 'bomb.png'), 413, 'payload_too_large', /100000×100000 pixels/);
    });
    it('a 0-byte file', async () => {
      await refused(await upload(alice.token, new Uint8Array(0), 'empty.png'), 400, 'invalid_input', /the file is empty/);
    });
    it('an SVG (not accepted by default)', async () => {
      await refused(await upload(alice.token, SVG, 'logo.svg'), 415, 'unsupported_media_type', /an SVG image; accepted: PNG image/);
    });
    it('a file of no type the server recognises', async () => {
      await refused(
        await upload(alice.token, Buffer.from([0, 1, 2, 3, 250, 251, 252]), 'x.bin'),
        415,
        'unsupported_media_type',
        /does not recognise/,
      );
    });
    it('a ZIP archive', async () => {
      const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, ...Array(40).fill(0)]);
      await refused(await upload(alice.token, zip, 'a.zip'), 415, 'unsupported_media_type', /ZIP|zip/);
    });
    it('a broken image (PNG magic, then garbage)', async () => {
      const broken = Buffer.concat([(await png()).subarray(0, 16), Buffer.alloc(40, 7)]);
      await refused(await upload(alice.token, broken, 'broken.png'), 400, 'invalid_input', /could not be read|no size/);
    });
    it('a file over UPLOAD_MAX_FILE_BYTES, by its length and while streaming', async () => {
      await refused(await upload(alice.token, new Uint8Array(200_001), 'big.txt'), 413, 'payload_too_large', /larger than 200000 bytes/);
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(50_000).fill(65));
          controller.close();
        },
      });
      const res = await t.app.request('/api/uploads?filename=a.txt', {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}` },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      await refused(res, 413, 'payload_too_large', /larger than/);
    });
    it('without an access token', async () => {
      const res = await t.request('/api/uploads?filename=a.png', { method: 'POST', body: await png() });
      expect(res.status).toBe(401);
    });
  });

  it('answers what it accepts', async () => {
    const res = await t.request('/api/uploads/settings');
    expect(await res.json()).toEqual({
      enabled: true,
      maxFileBytes: 200000,
      maxFilesPerMessage: 4,
      allowedTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'],
    });
  });
});

describe('another visitor', () => {
  let mine: { id: string; url: string };
  beforeAll(async () => {
    mine = await (await upload(alice.token, await png(), 'mine.png')).json();
  });

  it('gets 404 for the upload, exactly as for one that does not exist', async () => {
    const theirs = await t.request(`/api/uploads/${mine.id}`, { token: bob.token });
    const unknown = await t.request('/api/uploads/00000000-0000-4000-8000-000000000000', { token: bob.token });
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toEqual(await unknown.json());
    expect((await t.request(`/api/uploads/${mine.id}`, { token: alice.token })).status).toBe(200);
  });

  it("gets 404 for the file with their own read token, another upload's, a forged or an expired one", async () => {
    const bobs = await (await upload(bob.token, await png(), 'bob.png')).json();
    const bobToken = new URL(bobs.url, 'http://x').searchParams.get('t')!;
    const aliceToken = new URL(mine.url, 'http://x').searchParams.get('t')!;
    const [, , expires, signature] = aliceToken.split('.');
    const attempts = [
      `/api/uploads/${mine.id}/content?t=${bobToken}`, // a genuine token, for another upload
      `/api/uploads/${mine.id}/content?t=v1.${bob.userId}.${expires}.${signature}`, // Alice's signature, Bob's id
      `/api/uploads/${mine.id}/content?t=v1.${alice.userId}.${Number(expires) + 3600}.${signature}`, // a longer life
      `/api/uploads/${mine.id}/content?t=v1.${alice.userId}.1000.${signature}`, // expired
      `/api/uploads/${mine.id}/content`,
      `/api/uploads/${mine.id}/content?t=w1.${expires}.${signature}`,
    ];
    for (const path of attempts) {
      const res = await t.request(path);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error).toEqual({ code: 'not_found', message: 'upload not found' });
    }
    expect((await t.request(mine.url)).status).toBe(200);
  });

  it('gets 404 once the URL has expired, even with the right signature', async () => {
    const late = await testApp(db, RELAXED, { now: () => Date.now() + 2 * 3600_000 });
    const res = await late.request(mine.url);
    expect(res.status).toBe(404);
  });
});

describe('limits', () => {
  it('counts the bytes of a visitor per day, over every instance', async () => {
    const small = await testApp(db, { UPLOAD_MAX_BYTES_PER_VISITOR_PER_DAY: '40000', ...RELAXED });
    const carol = await small.visitor();
    const text = Buffer.alloc(15_000, 'a');
    const post = (app: TestApp) => app.request('/api/uploads?filename=a.txt', { method: 'POST', token: carol.token, body: text });
    expect((await post(small)).status).toBe(201);
    expect((await post(await testApp(db, { UPLOAD_MAX_BYTES_PER_VISITOR_PER_DAY: '40000', ...RELAXED }))).status).toBe(201);
    const third = await post(small);
    expect(third.status).toBe(429);
    expect((await third.json()).error.message).toMatch(/UPLOAD_MAX_BYTES_PER_VISITOR_PER_DAY/);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts uploads per visitor per minute (RATE_LIMIT_UPLOAD_PER_VISITOR), before reading the file', async () => {
    const limited = await testApp(db, { RATE_LIMIT_UPLOAD_PER_VISITOR: '2', RATE_LIMIT_UPLOAD_PER_IP: '1000' });
    const v = await limited.visitor();
    const post = () =>
      limited.request('/api/uploads?filename=a.txt', { method: 'POST', token: v.token, body: new TextEncoder().encode('hi') });
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(201);
    const third = await post();
    expect(third.status).toBe(429);
    expect((await third.json()).error.code).toBe('rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('accepts SVG only when the operator allows it, and serves it only as a download of a safe type', async () => {
    const svgApp = await testApp(db, { UPLOAD_ALLOWED_TYPES: 'image/png,image/svg+xml', ...RELAXED });
    const v = await svgApp.visitor();
    const res = await svgApp.request('/api/uploads?filename=logo.svg', { method: 'POST', token: v.token, body: SVG });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ mediaType: 'image/svg+xml', inline: false });
    const file = await svgApp.request(body.url);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="logo.svg"/);
  });

  it('answers 404 for new uploads when attachments are turned off', async () => {
    const off = await testApp(db, { UPLOADS_ENABLED: 'false', ...RELAXED });
    const v = await off.visitor();
    const res = await off.request('/api/uploads?filename=a.png', { method: 'POST', token: v.token, body: await png() });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/UPLOADS_ENABLED/);
  });
});
