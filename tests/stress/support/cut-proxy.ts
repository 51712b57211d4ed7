import { connect, createServer, type Socket } from 'node:net';

/** A TCP proxy on 127.0.0.1 whose open connections can be cut, as a flaky network does. */
export async function startCutProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let cuts = 0;
  const proxy = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get cuts() {
      return cuts;
    },
    /** Destroys every open connection (streams, requests in flight, idle keep-alive sockets). */
    cut() {
      cuts += 1;
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
