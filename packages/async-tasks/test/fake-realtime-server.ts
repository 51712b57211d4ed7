import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';

type Frame = [string | null, string | null, string, string, Record<string, any>];
interface Binding {
  id: number;
  event: string;
  schema: string;
  table: string;
  filter?: string;
}
interface Channel {
  ws: WebSocket;
  topic: string;
  joinRef: string;
  userId: string | null;
  bindings: Binding[];
}

/** The `sub` claim of a JWT (the fake trusts the token; the real Realtime verifies it). */
const subject = (token: unknown): string | null => {
  try {
    return JSON.parse(Buffer.from(String(token).split('.')[1]!, 'base64url').toString()).sub ?? null;
  } catch {
    return null;
  }
};

/**
 * A small stand-in for Supabase Realtime that speaks its wire protocol (Phoenix channels, serializer
 * v2: JSON arrays `[join_ref, ref, topic, event, payload]`): `phx_join` with `postgres_changes`
 * bindings answered by `phx_reply` with binding ids and a `system` message, `heartbeat` on the
 * `phoenix` topic, `access_token`, `phx_leave`, and `postgres_changes` events with
 * `data: {schema, table, commit_timestamp, type, record, old_record, columns, errors}` and `ids`.
 * The changes come from real PostgreSQL: it LISTENs on `app_events` (contracts.md §1), reads the
 * row, and sends it to the channels of the row's owner (what RLS does in the real service).
 */
export async function startFakeRealtime(databaseUrl: string) {
  const channels = new Set<Channel>();
  const accessTokens: string[] = [];
  const joins: Array<{ topic: string; accessToken: unknown }> = [];
  let nextBindingId = 1;
  let refuseJoins = 0;

  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/realtime/v1/websocket' });
  const send = (ws: WebSocket, frame: Frame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));

  wss.on('connection', (ws) => {
    ws.on('message', (raw) => {
      const [joinRef, ref, topic, event, payload] = JSON.parse(String(raw)) as Frame;
      const reply = (status: string, response: Record<string, unknown>) =>
        send(ws, [joinRef, ref, topic, 'phx_reply', { status, response }]);
      if (topic === 'phoenix' && event === 'heartbeat') return reply('ok', {});
      if (event === 'phx_join') {
        joins.push({ topic, accessToken: payload.access_token });
        if (refuseJoins > 0) {
          refuseJoins -= 1;
          return reply('error', { reason: 'join refused by the test' });
        }
        const bindings: Binding[] = (payload.config?.postgres_changes ?? []).map((b: Omit<Binding, 'id'>) => ({
          ...b,
          id: nextBindingId++,
        }));
        channels.add({ ws, topic, joinRef: joinRef!, userId: subject(payload.access_token), bindings });
        reply('ok', { postgres_changes: bindings });
        send(ws, [
          joinRef,
          null,
          topic,
          'system',
          { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: topic.replace(/^realtime:/, '') },
        ]);
        return;
      }
      const channel = [...channels].find((c) => c.ws === ws && c.topic === topic);
      if (event === 'access_token') {
        accessTokens.push(String(payload.access_token));
        if (channel) channel.userId = subject(payload.access_token);
        return;
      }
      if (event === 'phx_leave') {
        if (channel) channels.delete(channel);
        return reply('ok', {});
      }
    });
    ws.on('close', () => {
      for (const c of channels) if (c.ws === ws) channels.delete(c);
    });
  });

  const listener = new pg.Client({ connectionString: databaseUrl });
  const reader = new pg.Client({ connectionString: databaseUrl });
  await Promise.all([listener.connect(), reader.connect()]);
  listener.on('notification', (message) => void relay(JSON.parse(message.payload ?? '{}')));
  await listener.query('listen app_events');

  async function relay(note: { table: 'async_tasks' | 'chat_messages'; id: string; owner_id: string }) {
    if (note.table !== 'async_tasks' && note.table !== 'chat_messages') return;
    const { rows } = await reader.query(`select to_jsonb(t) as row from public.${note.table} t where id = $1`, [note.id]);
    const record = rows[0]?.row as Record<string, unknown> | undefined;
    if (!record) return;
    const type = note.table === 'chat_messages' || record.created_at === record.updated_at ? 'INSERT' : 'UPDATE';
    const columns = Object.entries(record).map(([name, value]) => ({
      name,
      type:
        typeof value === 'number'
          ? 'int8'
          : typeof value === 'boolean'
            ? 'bool'
            : value !== null && typeof value === 'object'
              ? 'jsonb'
              : name.endsWith('_at')
                ? 'timestamptz'
                : 'text',
    }));
    for (const channel of channels) {
      if (channel.userId !== record.owner_id) continue;
      const ids = channel.bindings
        .filter((b) => b.table === note.table && (b.event === '*' || b.event === type) && matches(b.filter, record))
        .map((b) => b.id);
      if (!ids.length) continue;
      send(channel.ws, [
        channel.joinRef,
        null,
        channel.topic,
        'postgres_changes',
        {
          ids,
          data: {
            schema: 'public',
            table: note.table,
            commit_timestamp: new Date().toISOString(),
            type,
            record,
            old_record: type === 'UPDATE' ? { id: record.id } : {},
            columns,
            errors: null,
          },
        },
      ]);
    }
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    /** What to give `createClient` as the Supabase URL. */
    url: `http://127.0.0.1:${port}`,
    accessTokens,
    joins,
    channelCount: () => channels.size,
    /** Close every WebSocket, as a Realtime restart or a network cut would. */
    dropSockets() {
      for (const ws of wss.clients) ws.terminate();
    },
    /** Close every channel from the server side (`phx_close`). */
    closeChannels() {
      for (const c of channels) send(c.ws, [c.joinRef, c.joinRef, c.topic, 'phx_close', {}]);
      channels.clear();
    },
    /** Answer the next `count` joins with an error (the client sees CHANNEL_ERROR). */
    refuseNextJoins(count: number) {
      refuseJoins = count;
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all([listener.end(), reader.end()]);
    },
  };
}

function matches(filter: string | undefined, record: Record<string, unknown>): boolean {
  if (!filter) return true;
  const [, column, value] = /^(\w+)=eq\.(.+)$/.exec(filter) ?? [];
  return column !== undefined && String(record[column]) === value;
}
