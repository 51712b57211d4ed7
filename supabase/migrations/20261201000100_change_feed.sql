-- The change feed: what every write to the task tables does by itself, whoever makes it.
--
--   seq         async_tasks and chat_messages take nextval('app_change_seq') on every insert and
--               update: the SSE event id, so a client resuming with Last-Event-ID gets only
--               rows with a larger seq
--   version     async_tasks: +1 on every update (clients merge snapshots and events by it)
--   updated_at  async_tasks and conversations, on every update
--   pg_notify   'app_events' after every insert/update of async_tasks and insert of
--               chat_messages, delivered at commit: the server's SSE relay listens. The
--               payload names the row ({table, id, conversation_id}), nothing more
--   Realtime    both tables in the supabase_realtime publication (postgres_changes)
--
-- The runner's bookkeeping (20261201000300_runner_instances.sql) has no triggers on purpose: a
-- heartbeat or a claim record moves no seq and sends no notification.

-- SECURITY DEFINER so a direct insert by `authenticated` needs no sequence privilege.
create function app_internal.touch_row() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.seq := nextval('public.app_change_seq');
  if tg_op = 'UPDATE' and tg_table_name = 'async_tasks' then
    new.version := old.version + 1;
    new.updated_at := now();
  end if;
  return new;
end
$$;

create function app_internal.touch_conversation() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- The payload names the changed row and nothing about it: {"table", "id", "conversation_id"},
-- what a listener needs to route the change (a conversation's streams, a task's stream).
-- Listeners re-read the row as the user they serve, so RLS decides what anyone sees. In plain
-- PostgreSQL any role that can connect may LISTEN on any channel, so the payload carries no
-- owner (it would tie rows to visitors), no version and no seq (counters that would show the
-- service's activity). It reads the few fields from NEW directly: to_jsonb(new) would copy the
-- whole row, a streaming reply's partial_text (up to 16,000 characters) included, on every
-- write. Identical payloads in one transaction are delivered once; listeners re-read anyway.
create function app_internal.notify_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_notify('app_events', json_build_object(
    'table', tg_table_name,
    'id', new.id,
    'conversation_id', new.conversation_id
  )::text);
  return null;
end
$$;

revoke all on function app_internal.touch_row(), app_internal.touch_conversation(),
  app_internal.notify_change() from public;

create trigger async_tasks_touch
  before insert or update on public.async_tasks
  for each row execute function app_internal.touch_row();
create trigger chat_messages_touch
  before insert or update on public.chat_messages
  for each row execute function app_internal.touch_row();
create trigger conversations_touch
  before update on public.conversations
  for each row execute function app_internal.touch_conversation();

create trigger async_tasks_notify
  after insert or update on public.async_tasks
  for each row execute function app_internal.notify_change();
create trigger chat_messages_notify
  after insert on public.chat_messages
  for each row execute function app_internal.notify_change();

-- Supabase Realtime (postgres_changes). Skipped where the publication does not exist
-- (PGlite, or a plain PostgreSQL where the shim could not create it); a warning where the
-- migrating role does not own it.
do $$
declare
  t text;
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    foreach t in array array['async_tasks', 'chat_messages'] loop
      if not exists (
        select 1 from pg_publication_tables
        where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t
      ) then
        begin
          execute format('alter publication supabase_realtime add table public.%I', t);
        exception when insufficient_privilege then
          -- Only the publication's owner may add tables (postgres on Supabase, where this works).
          raise warning 'public.% not added to publication supabase_realtime (owned by another role): '
            'run as its owner: alter publication supabase_realtime add table public.%', t, t;
        end;
      end if;
    end loop;
  end if;
end
$$;
