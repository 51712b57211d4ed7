import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';

/** What a client's own `X-Request-Id` may be to be logged beside ours. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The request id is the server's: a new uuid for every request, in `requestId` and the
 * `X-Request-Id` answer header. A client-chosen id never replaces it (it could collide with
 * another request's on purpose, or forge log lines); a well-formed one (1–64 of
 * `A-Za-z0-9._:-`) is kept as `clientRequestId` and logged beside it, so a caller can still
 * find its requests.
 */
export const serverRequestId = () =>
  createMiddleware(async (c, next) => {
    const id = randomUUID();
    c.set('requestId' as never, id as never);
    const given = c.req.header('x-request-id');
    if (given && CLIENT_REQUEST_ID.test(given)) c.set('clientRequestId' as never, given as never);
    c.header('X-Request-Id', id);
    await next();
  });
