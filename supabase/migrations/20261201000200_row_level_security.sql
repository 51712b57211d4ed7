-- Who may touch what, for the tables of 20261201000000_tables.sql: the async_worker role, table
-- and column privileges, and the row-level security policies. RLS is on for every table and
-- privileges are granted explicitly (Supabase's default privileges grant ALL to the API roles,
-- so everything is revoked first). EXECUTE on each function is granted next to its definition.
--
--   anon           nothing
--   authenticated  own rows: read; create conversations, user messages and tasks (not of the
--                  reserved chat. kinds);
--                  rename / delete own conversations; tasks change only through functions
--   service_role   everything (BYPASSRLS)
--   async_worker   read conversations and messages; the worker functions
--
-- The internal tables (conversation counters, runner instances, webhook deliveries, refresh
-- token families) are protected in their own files:
-- RLS on, no grants, no policies.

-- The worker's role (NOLOGIN): a worker's login user is granted it
-- (`create role n8n login password '…' in role async_worker`).
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'async_worker') then
    begin
      create role async_worker nologin noinherit;
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
end
$$;
comment on role async_worker is
  'Least-privilege role of the workflow worker (n8n, the built-in runner): grant it to their login user.';

grant usage on schema public to async_worker;

-- The migrating user (postgres on Supabase: CREATEROLE, not superuser) must be able to
-- `set role async_worker`, as @app/db's asWorker does. A superuser already can.
do $$
begin
  if not pg_has_role(current_user, 'async_worker', 'member') then
    execute format('grant async_worker to %I', current_user);
  end if;
end
$$;

revoke all on table public.conversations, public.async_tasks, public.chat_messages
  from public, anon, authenticated, service_role, async_worker;

grant all on table public.conversations, public.async_tasks, public.chat_messages to service_role;

grant select, delete on table public.conversations to authenticated;
grant insert (id, owner_id, title) on table public.conversations to authenticated;
grant update (title, owner_id) on table public.conversations to authenticated;

grant select on table public.chat_messages to authenticated;
grant insert (id, conversation_id, owner_id, role, content) on table public.chat_messages to authenticated;

grant select on table public.async_tasks to authenticated;
grant insert (id, owner_id, conversation_id, kind, input, idempotency_key, max_attempts, timeout_seconds)
  on table public.async_tasks to authenticated;

grant select on table public.conversations, public.chat_messages to async_worker;

alter table public.conversations enable row level security;
alter table public.async_tasks enable row level security;
alter table public.chat_messages enable row level security;

-- conversations
create policy conversations_select_own on public.conversations
  for select to authenticated using (owner_id = (select auth.uid()));
create policy conversations_insert_own on public.conversations
  for insert to authenticated with check (owner_id = (select auth.uid()));
create policy conversations_update_own on public.conversations
  for update to authenticated
  using (owner_id = (select auth.uid()))
  with check (owner_id = (select auth.uid()));
create policy conversations_delete_own on public.conversations
  for delete to authenticated using (owner_id = (select auth.uid()));
create policy conversations_select_worker on public.conversations
  for select to async_worker using (true);

-- chat_messages: users write only their own `user` messages into their own conversations;
-- assistant messages come from task_complete.
create policy chat_messages_select_own on public.chat_messages
  for select to authenticated using (owner_id = (select auth.uid()));
create policy chat_messages_insert_own on public.chat_messages
  for insert to authenticated with check (
    owner_id = (select auth.uid())
    and role = 'user'
    and async_task_id is null
    and exists (
      select 1 from public.conversations c
      where c.id = conversation_id and c.owner_id = (select auth.uid())
    )
  );
create policy chat_messages_select_worker on public.chat_messages
  for select to async_worker using (true);

-- async_tasks: read own; a direct insert creates a plain pending task (column grants keep
-- status, attempt, result… at their defaults), never one of the reserved `chat.` kinds: a chat
-- reply is made only by send_chat_message, with its user message, in the caller's conversation.
create policy async_tasks_select_own on public.async_tasks
  for select to authenticated using (owner_id = (select auth.uid()));
create policy async_tasks_insert_own on public.async_tasks
  for insert to authenticated with check (
    owner_id = (select auth.uid())
    and not starts_with(kind, 'chat.')
    and (
      conversation_id is null
      or exists (
        select 1 from public.conversations c
        where c.id = conversation_id and c.owner_id = (select auth.uid())
      )
    )
  );
