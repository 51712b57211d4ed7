import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
// The core by package name, so an app that uses both entries loads it once.
import {
  AsyncTaskError,
  createHttpTransport,
  type ChatMessage,
  type ConversationStreamEvent,
  type GetToken,
  type HttpTransportOptions,
  type TaskSnapshot,
  type TaskStreamEvent,
  type Transport,
  type Unsubscribe,
} from '@app/async-tasks';
import { backoffDelay } from '../../common/backoff.js';

/**
 * Options of `createSupabaseTransport`: the HTTP transport's, plus the supabase-js client.
 *
 * @example
 * const options: SupabaseTransportOptions = { supabase, baseUrl: 'https://chat.example.com', schema: 'public' };
 */
export interface SupabaseTransportOptions extends Omit<HttpTransportOptions, 'getToken'> {
  /** A supabase-js client (on Node < 22 create it with `realtime: { transport: ws }`). */
  supabase: Pick<SupabaseClient, 'channel' | 'removeChannel' | 'realtime' | 'auth'>;
  /** The access token for the server API and Realtime. Default: the Supabase Auth session's. */
  getToken?: GetToken;
  /** Database schema of the tables. Default `public`. */
  schema?: string;
}

interface Binding {
  table: 'async_tasks' | 'chat_messages';
  event: '*' | 'INSERT';
  filter: string;
}

let channels = 0;
const camel = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));

/**
 * Commands through the server API (the HTTP transport), live updates from Supabase Realtime
 * `postgres_changes` on `async_tasks` / `chat_messages` filtered to the task or conversation.
 * Realtime does not replay what was missed, so the snapshot is read again on every `SUBSCRIBED`;
 * `CHANNEL_ERROR`, `TIMED_OUT` and `CLOSED` show as `reconnecting`/`offline` and the channel is
 * made again with capped, jittered backoff. Each new token goes to `realtime.setAuth`.
 *
 * @example
 * import { createClient } from '@supabase/supabase-js';
 * const supabase = createClient(SUPABASE_URL, SUPABASE_ANON_KEY);
 * const transport = createSupabaseTransport({ supabase, baseUrl: 'https://chat.example.com' });
 */
export function createSupabaseTransport(options: SupabaseTransportOptions): Transport {
  const { supabase, schema = 'public', backoff = {} } = options;
  let lastToken: string | null | undefined;
  const source: GetToken =
    options.getToken ??
    (async ({ forceRefresh }) =>
      (forceRefresh ? await supabase.auth.refreshSession() : await supabase.auth.getSession()).data.session?.access_token);
  const getToken = async (request: { forceRefresh: boolean }) => {
    const token = await source(request);
    if (token && token !== lastToken) {
      lastToken = token;
      await supabase.realtime.setAuth(token); // pushes `access_token` to every joined channel
    }
    return token;
  };
  const http = createHttpTransport({ ...options, getToken });

  function follow<E extends { type: string }>(
    name: string,
    bindings: Binding[],
    listener: (
      event: E | { type: 'connection'; connection: 'connecting' | 'live' | 'reconnecting' | 'offline' } | { type: 'error'; error: Error },
    ) => void,
    onRow: (binding: Binding, row: Record<string, unknown>) => E,
    snapshot: () => Promise<E>,
  ): Unsubscribe {
    let stopped = false;
    let channel: RealtimeChannel | null = null;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const close = () => {
      const current = channel;
      channel = null;
      if (current) void supabase.removeChannel(current).finally(() => current.teardown());
    };
    const retry = () => {
      close();
      if (stopped) return;
      listener({ type: 'connection', connection: http.isOnline?.() === false ? 'offline' : 'reconnecting' });
      clearTimeout(timer);
      timer = setTimeout(open, backoffDelay(failures++, backoff));
    };
    async function open() {
      if (stopped) return;
      listener({ type: 'connection', connection: failures ? 'reconnecting' : 'connecting' });
      await getToken({ forceRefresh: false }).catch(() => null); // the join carries the user's token
      if (stopped) return;
      const current = supabase.channel(`async-tasks:${name}:${++channels}`);
      channel = current;
      for (const binding of bindings) {
        current.on(
          'postgres_changes' as never,
          { event: binding.event, schema, table: binding.table, filter: binding.filter } as never,
          (payload: { new: Record<string, unknown> }) => {
            // A delete carries no new row: nothing to show (a deleted conversation answers 404 at the next snapshot).
            if (channel === current && payload.new && Object.keys(payload.new).length > 0) listener(onRow(binding, payload.new));
          },
        );
      }
      current.subscribe(async (status) => {
        if (channel !== current || stopped) return;
        if (status !== 'SUBSCRIBED') return retry(); // CHANNEL_ERROR | TIMED_OUT | CLOSED
        try {
          const first = await snapshot();
          if (channel !== current) return;
          listener(first);
          failures = 0;
          listener({ type: 'connection', connection: 'live' });
        } catch (error) {
          if (!AsyncTaskError.isInstance(error) || error.retryable) return retry();
          stopped = true;
          close();
          listener({ type: 'connection', connection: 'offline' });
          listener({ type: 'error', error });
        }
      });
    }
    void open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      close();
    };
  }

  return {
    ...http,
    subscribeTask: (id, listener) =>
      follow<Extract<TaskStreamEvent, { task: TaskSnapshot }>>(
        `task:${id}`,
        [{ table: 'async_tasks', event: '*', filter: `id=eq.${id}` }],
        listener,
        (_, row) => ({ type: 'task', task: camel(row) as unknown as TaskSnapshot }),
        async () => ({ type: 'snapshot', task: await http.getTask(id) }),
      ),
    subscribeConversation: (id, listener) =>
      follow<Extract<ConversationStreamEvent, { type: 'snapshot' | 'task' | 'message' }>>(
        `conversation:${id}`,
        [
          { table: 'async_tasks', event: '*', filter: `conversation_id=eq.${id}` },
          // Updates too: a regenerate or an edit marks the messages it replaced.
          { table: 'chat_messages', event: '*', filter: `conversation_id=eq.${id}` },
        ],
        listener,
        ({ table }, row) =>
          table === 'chat_messages'
            ? { type: 'message', message: camel(row) as unknown as ChatMessage }
            : { type: 'task', task: camel(row) as unknown as TaskSnapshot },
        async () => {
          const { messages, tasks } = await http.getConversation(id);
          return { type: 'snapshot', messages, tasks };
        },
      ),
  };
}
