import { connect } from 'node:net';

/** Whether a Redis answers PING on host:port (n8n queue mode needs one). */
export function redisAnswers(host = '127.0.0.1', port = 6379, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Sends one command (RESP array) and resolves with the raw reply. */
function command(args: string[], { host = '127.0.0.1', port = 6379 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = '';
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error('redis timeout'));
    });
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.endsWith('\r\n')) {
        socket.destroy();
        resolve(reply);
      }
    });
  });
}

// Deletes the matching keys of one database index (SELECT inside a script switches only the
// script's database; the connection is closed right after).
const DELETE_MATCHING = `
redis.call('SELECT', ARGV[1])
local n = 0
for _, pattern in ipairs({ARGV[2], ARGV[3]}) do
  for _, key in ipairs(redis.call('KEYS', pattern)) do redis.call('DEL', key); n = n + 1 end
end
return n`;

/** Removes what an n8n queue-mode run left in its Redis database index: Bull's keys and n8n's cache. */
export async function deleteQueueKeys(db: number, bullPrefix: string): Promise<void> {
  await command(['EVAL', DELETE_MATCHING, '0', String(db), `${bullPrefix}:*`, 'n8n:cache:*']);
}
