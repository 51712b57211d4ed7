import { request, type ClientRequest } from 'node:http';

/**
 * Opens an SSE stream with plain node:http (lighter than fetch, so the client side of thousands
 * of idle streams stays small) and resolves once the server sent its first event.
 */
export function openIdleStream(baseUrl: string, path: string, token: string): Promise<{ close(): void; alive(): boolean }> {
  return new Promise((resolve, reject) => {
    let open = true;
    const req: ClientRequest = request(
      `${baseUrl}${path}`,
      { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`stream ${path}: ${res.statusCode}`));
        }
        res.setEncoding('utf8');
        let first = true;
        res.on('data', (chunk: string) => {
          if (first && chunk.includes('event: snapshot')) {
            first = false;
            resolve({ close: () => req.destroy(), alive: () => open });
          }
        });
        res.on('close', () => (open = false));
      },
    );
    req.on('error', (error) => (open ? reject(error) : undefined));
    req.end();
  });
}

/** Resident memory of a process in bytes (Linux). */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}
