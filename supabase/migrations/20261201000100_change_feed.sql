-- The change feed: what every write to the task tables does by itself, whoever makes it.
--
--   seq         async_tasks and chat_messages take a new seq on every insert and update: the SSE
--               event id, so a client resuming with Last-Event-ID gets only rows with a larger
--               seq. A row of a conversation takes the next value of that conversation's counter
--               (app_internal.conversation_seq); a task without a conversation counts on its own
--               (previous seq + 1). No counter is shared between visitors: a visitor's seq values
--               move only with writes to their own rows, so they tell nothing about anyone else's
--               activity (one sequence for everybody would: the gap between two of a visitor's
--               values would be the whole service's writes in between)
--   version     async_tasks: +1 on every update (clients merge snapshots and events by it)
--   updated_at  async_tasks and conversations, on every update
--   pg_notify   'app_events' after every insert/update of async_tasks and insert of
--               chat_messages, delivered at commit: the server's SSE relay listens. The
--               payload names the row ({table, id, conversation_id}), nothing more
--   Realtime    both tables in the supabase_realtime publication (postgres_changes)
--
-- The conversation's counter row is updated (`last_seq + 1 … returning`) by the write itself, so
-- it stays locked until that write's transaction ends: two transactions writing rows of one
-- conversation take their seq one after the other, and within a conversation seq order is commit
-- order (a reader resuming after seq n can never miss a row that commits later with a smaller
-- seq). Batch jobs that touch many conversations (task_claim, task_sweep) lock the counters of
-- their candidates first with SKIP LOCKED and pass over a conversation being written right now,
-- so they never wait on a visitor's write and never deadlock with one.
--
-- The runner's bookkeeping (20261201000300_runner_instances.sql) has no triggers on purpose: a
-- heartbeat or a claim record moves no seq and sends no notification.

-- One counter per conversation, made with it and dropped with it. Only the touch trigger writes
-- it (and task_claim / task_sweep lock it): RLS on, no policies, no grants.
create table app_internal.conversation_seq (
  conversation_id uuid primary key references public.conversations (id) on delete cascade,
  last_seq bigint not null default 0
);
alter table app_internal.conversation_seq enable row level security;
-- (async_worker is created later, in 20261201000200_row_level_security.sql, and granted nothing here.)
revoke all on table app_internal.conversation_seq from public, anon, authenticated, service_role;

-- SECURITY DEFINER: a direct insert by `authenticated` writes the counter, which no API role may touch.
create function app_internal.start_conversation_seq() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into app_internal.conversation_seq (conversation_id) values (new.id);
  return null;
end
$$;

-- SECURITY DEFINER: a direct insert by `authenticated` moves its conversation's counter.
create function app_internal.touch_row() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_seq bigint;
begin
  if new.conversation_id is not null then
    update app_internal.conversation_seq set last_seq = last_seq + 1
     where conversation_id = new.conversation_id
     returning last_seq into v_seq;
  end if;
  -- A task without a conversation counts on its own. So does a row whose conversation has no
  -- counter: it is being deleted (a cascade), or the insert fails its foreign key right after.
  new.seq := coalesce(v_seq, coalesce(old.seq, 0) + 1);
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

revoke all on function app_internal.start_conversation_seq(), app_internal.touch_row(),
  app_internal.touch_conversation(), app_internal.notify_change() from public;

create trigger conversations_start_seq
  after insert on public.conversations
  for each row execute function app_internal.start_conversation_seq();

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
  after insert or update on public.chat_messages
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
