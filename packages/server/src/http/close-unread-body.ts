import { createMiddleware } from 'hono/factory';

/**
 * An answer given before the request body was read (413 on its Content-Length, 401 before a
 * body is parsed, any early error) says `Connection: close`. Otherwise a keep-alive client sends
 * its next request on a connection whose unread body the server is still discarding, and the
 * server may give up and drop that connection under it (Node's fetch then reports "other side
 * closed"). With the header the client opens a new connection for its next request, and the
 * server closes this one cleanly once the answer is sent.
 */
export const closeWhenBodyUnread = () =>
  createMiddleware(async (c, next) => {
    await next();
    const sentBody =
      c.req.header('content-length') !== undefined
        ? Number(c.req.header('content-length')) > 0
        : c.req.header('transfer-encoding') !== undefined;
    if (c.res.status === 413 || (sentBody && !c.req.raw.bodyUsed)) c.res.headers.set('Connection', 'close');
  });
