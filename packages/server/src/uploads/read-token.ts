import { createHmac, timingSafeEqual } from 'node:crypto';

// The token in a file's read URL (`/api/uploads/<id>/content?t=<token>`): an <img> cannot send
// an Authorization header, so the URL itself says who may read which upload until when.
//
//   visitor  v1.<visitorId>.<expires>.<signature>   the file is read as that visitor (RLS decides)
//   worker   w1.<expires>.<signature>               a workflow's download (read as async_worker)
//
// The signature is the base64url HMAC-SHA256 of `upload-read.<kind>.<uploadId>[.<visitorId>].<expires>`;
// visitor tokens are keyed with the visitor-token secret, worker tokens with WEBHOOK_SECRET. A
// token names one upload: another upload's, another visitor's, an altered or an expired one reads
// nothing (the route answers 404, as for an upload that does not exist).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type ReadGrant = { kind: 'visitor'; visitorId: string; expires: number } | { kind: 'worker'; expires: number };

const signed = (key: string, text: string) => createHmac('sha256', Buffer.from(key, 'utf8')).update(text).digest('base64url');

const message = (uploadId: string, grant: ReadGrant) =>
  grant.kind === 'visitor'
    ? `upload-read.v1.${uploadId}.${grant.visitorId}.${grant.expires}`
    : `upload-read.w1.${uploadId}.${grant.expires}`;

export function signReadToken(keys: { visitor: string; worker: string | null }, uploadId: string, grant: ReadGrant): string {
  if (grant.kind === 'visitor') return `v1.${grant.visitorId}.${grant.expires}.${signed(keys.visitor, message(uploadId, grant))}`;
  if (!keys.worker) throw new Error('a worker read token needs WEBHOOK_SECRET');
  return `w1.${grant.expires}.${signed(keys.worker, message(uploadId, grant))}`;
}

/** The grant of a genuine, unexpired token for this upload; null otherwise. Never throws. */
export function verifyReadToken(
  keys: { visitor: string; worker: string | null },
  uploadId: string,
  token: string,
  now = Date.now(),
): ReadGrant | null {
  const parts = token.split('.');
  let grant: ReadGrant;
  let given: string;
  let key: string | null;
  if (parts[0] === 'v1' && parts.length === 4) {
    const [, visitorId, expires, signature] = parts as [string, string, string, string];
    if (!UUID.test(visitorId) || !/^\d{1,12}$/.test(expires)) return null;
    grant = { kind: 'visitor', visitorId, expires: Number(expires) };
    given = signature;
    key = keys.visitor;
  } else if (parts[0] === 'w1' && parts.length === 3) {
    const [, expires, signature] = parts as [string, string, string];
    if (!/^\d{1,12}$/.test(expires)) return null;
    grant = { kind: 'worker', expires: Number(expires) };
    given = signature;
    key = keys.worker;
  } else return null;
  if (!key || !UUID.test(uploadId)) return null;
  const expected = Buffer.from(signed(key, message(uploadId, grant)));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  if (now >= grant.expires * 1000) return null;
  return grant;
}
