import pg from 'pg';
import { pgTypes } from './pg-types.js';

/** `application_name` of the LISTEN connection (visible in pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'app-db-listener';

interface Subscriber {
  onPayload: (payload: string) => void;
  onReconnect?: () => void;
}

/**
 * One dedicated connection for LISTEN (a pooled connection would drop its LISTENs when
 * released). After a connection loss it reconnects with backoff, re-issues every LISTEN, then
 * tells each subscriber so it can re-read what it missed meanwhile.
 */
export class PostgresListener {
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #channels = new Map<string, Set<Subscriber>>();
  #closed = false;
  #retryDelay = 100;
  #retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly connectionString: string) {}

  async listen(channel: string, subscriber: Subscriber): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('the database is closed');
    const client = await this.#connection();
    let subscribers = this.#channels.get(channel);
    if (!subscribers) {
      subscribers = new Set();
      this.#channels.set(channel, subscribers);
      await client.query(`listen ${client.escapeIdentifier(channel)}`);
    }
    subscribers.add(subscriber);
    return async () => {
      const current = this.#channels.get(channel);
      if (!current?.delete(subscriber) || current.size > 0) return;
      this.#channels.delete(channel);
      await this.#client?.query(`unlisten ${this.#client.escapeIdentifier(channel)}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = null;
    this.#channels.clear();
    await client?.end().catch(() => undefined);
  }

  #connection(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.connectionString, types: pgTypes, application_name: LISTENER_APPLICATION_NAME });
    client.on('notification', (message) => {
      for (const subscriber of this.#channels.get(message.channel) ?? []) subscriber.onPayload(message.payload ?? '');
    });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = null;
      client.end().catch(() => undefined);
      this.#scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', onLost);
    await client.connect();
    for (const channel of this.#channels.keys()) await client.query(`listen ${client.escapeIdentifier(channel)}`);
    this.#client = client;
    return client;
  }

  #scheduleReconnect() {
    if (this.#closed || this.#retryTimer || this.#channels.size === 0) return;
    this.#retryTimer = setTimeout(async () => {
      this.#retryTimer = null;
      try {
        await this.#connection();
        this.#retryDelay = 100;
        for (const subscribers of this.#channels.values()) {
          for (const subscriber of subscribers) subscriber.onReconnect?.();
        }
      } catch {
        this.#retryDelay = Math.min(this.#retryDelay * 2, 5_000);
        this.#scheduleReconnect();
      }
    }, this.#retryDelay);
    this.#retryTimer.unref?.();
  }
}
