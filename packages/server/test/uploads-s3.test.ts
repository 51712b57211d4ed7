import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Database } from '@app/db';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from './support/local-s3.js';
import { key, memoryDatabase, testApp, type TestApp } from './support/test-app.js';
import { jpegWithGps, png } from './support/upload-files.js';

// Bucket storage against a local S3-compatible server speaking the S3 REST protocol over HTTP
// (the AWS SDK's real requests, presigned URLs that expire), not a mock of the client.

let s3: LocalS3;
let db: Database;
let t: TestApp;
let client: S3Client;
beforeAll(async () => {
  s3 = await startLocalS3();
  db = await memoryDatabase();
  t = await testApp(db, s3.env);
  client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});
afterAll(async () => {
  client?.destroy();
  await db?.close();
  await s3?.close();
});

const objects = async () => ((await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key!).sort();

const upload = (token: string, bytes: Uint8Array, filename: string) =>
  t.request(`/api/uploads?filename=${encodeURIComponent(filename)}`, { method: 'POST', token, body: new Uint8Array(bytes) });

describe('uploads in an S3-compatible bucket', () => {
  it('puts the cleaned file in the bucket under a key of ids, and reads it through a short-lived presigned URL', async () => {
    const v = await t.visitor();
    const res = await upload(v.token, await jpegWithGps(), '../photo.jpg');
    expect(res.status).toBe(201);
    const body = await res.json();
    const { rows } = await db.query<{ storage: string; storage_key: string }>(
      'select storage, storage_key from public.uploads where id = $1',
      [body.id],
    );
    expect(rows[0]!.storage).toBe('s3');
    expect(rows[0]!.storage_key).toMatch(new RegExp(`^uploads/${v.userId}/[0-9a-f-]{36}$`));
    expect(await objects()).toContain(rows[0]!.storage_key);
    expect((await db.query('select 1 from public.upload_contents where upload_id = $1', [body.id])).rows).toHaveLength(0);

    const redirect = await t.request(body.url);
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location).toMatch(/X-Amz-Expires=60/);
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(file.headers.get('content-disposition')).toMatch(/^inline; filename="photo.jpg"/);
    const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
    expect(meta.exif).toBeUndefined();

    // A presigned URL past its lifetime is refused by the bucket. (s3rver checks the expiry of a
    // presigned URL but not its Signature V4 signature; that check is the real bucket's.)
    const short = await t.uploads.storage.presign(rows[0]!.storage_key, 1, { contentType: 'image/jpeg', disposition: 'inline' });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await fetch(short!)).status).toBe(403);
  });

  it("answers another visitor 404 and never a presigned URL for someone else's file", async () => {
    const owner = await t.visitor();
    const other = await t.visitor();
    const mine = await (await upload(owner.token, await png(), 'a.png')).json();
    const theirs = await (await upload(other.token, await png(), 'b.png')).json();
    const otherToken = new URL(theirs.url, 'http://x').searchParams.get('t')!;
    const res = await t.request(`/api/uploads/${mine.id}/content?t=${otherToken}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect((await t.request(`/api/uploads/${mine.id}`, { token: other.token })).status).toBe(404);
  });

  it('deletes the objects of a deleted conversation and of uploads never attached', async () => {
    const v = await t.visitor();
    const kept = await (await upload(v.token, await png(), 'kept.png')).json();
    const sent = await t.send(v.token, { content: 'see this', idempotencyKey: key(), attachmentIds: [kept.id] });
    expect(sent.status).toBe(201);
    const left = await (await upload(v.token, await png(), 'left.png')).json();
    const keyOf = async (id: string) =>
      (await db.query<{ storage_key: string }>('select storage_key from public.uploads where id = $1', [id])).rows[0]!.storage_key;
    const keptKey = await keyOf(kept.id);
    const leftKey = await keyOf(left.id);

    await db.query("update public.uploads set expires_at = now() - interval '1 second' where id = $1", [left.id]);
    expect(await t.uploads.cleanup.sweepOnce()).toEqual({ expired: 1, objectsDeleted: 1 });
    expect(await objects()).not.toContain(leftKey);
    expect(await objects()).toContain(keptKey);

    const deleted = await t.request(`/api/conversations/${sent.body.conversationId}`, { method: 'DELETE', token: v.token });
    expect(deleted.status).toBe(200);
    expect(await objects()).not.toContain(keptKey);
    expect((await db.query('select 1 from public.uploads where id = $1', [kept.id])).rows).toHaveLength(0);
    expect(await t.uploads.cleanup.deleteQueuedObjects()).toBe(0);
  });
});
