-- Functions a visitor calls (role authenticated, or service_role acting with a user's claims):
-- create_task, send_chat_message, request_task_cancel, retry_task. All SECURITY DEFINER with an
-- empty search_path; they act for auth.uid() only, so a visitor reaches only their own rows.
-- EXECUTE: authenticated and service_role.
--
-- Calls with one idempotency key are serialised by a transaction advisory lock on (owner, key):
-- a repeated call answers with the rows the first one made.
--
-- Errors (SQLSTATE → meaning, see docs/database.md):
--   42501 insufficient_privilege  no auth.uid() in the request
--   P0002 no_data_found           task / conversation not found (also when it is someone else's)
--   22001 string_data_right_truncation  content > 16000 characters, input > 64 KB
--   22023 invalid_parameter_value  empty content, bad kind, a reserved chat. kind given to
--                                  create_task, max_attempts / timeout out of range
--   23505 unique_violation         idempotency key already used for a different kind of request

-- Internal checks shared by the visitor functions (no API role may call them).

create function app_internal.require_uid() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception using errcode = '42501', message = 'not authenticated: this function needs a user (auth.uid() is null)';
  end if;
  return v_uid;
end
$$;

create function app_internal.check_message_content(p_content text) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_content is null or char_length(p_content) = 0 then
    raise exception using errcode = '22023', message = 'message content must not be empty';
  end if;
  if char_length(p_content) > 16000 then
    raise exception using errcode = '22001',
      message = format('message content is longer than 16000 characters (%s)', char_length(p_content));
  end if;
end
$$;

create function app_internal.check_task_params(
  p_kind text, p_input jsonb, p_idempotency_key text, p_max_attempts integer, p_timeout_seconds integer
) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_kind is null or p_kind !~ '^[a-z0-9][a-z0-9._:-]{0,99}$' then
    raise exception using errcode = '22023',
      message = 'task kind must be 1 to 100 characters of a-z, 0-9, ".", "_", ":", "-" (e.g. chat.reply)';
  end if;
  if p_input is not null and octet_length(p_input::text) > 65536 then
    raise exception using errcode = '22001',
      message = format('task input is larger than 64 KB (65536 bytes as JSON text; got %s)', octet_length(p_input::text));
  end if;
  if p_idempotency_key is not null and char_length(p_idempotency_key) not between 1 and 255 then
    raise exception using errcode = '22023', message = 'idempotency key must be 1 to 255 characters';
  end if;
  if p_max_attempts is null or p_max_attempts not between 1 and 50 then
    raise exception using errcode = '22023', message = 'max_attempts must be between 1 and 50';
  end if;
  if p_timeout_seconds is null or p_timeout_seconds not between 1 and 86400 then
    raise exception using errcode = '22023', message = 'timeout_seconds must be between 1 and 86400';
  end if;
end
$$;

-- The site's metadata of a message: a JSON object of at most 8 KB as JSON text (the server's own
-- limit is lower, METADATA_MAX_BYTES). Plain JSON by its type; never read as an identity.
create function app_internal.check_message_metadata(p_metadata jsonb) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_metadata is null then
    return;
  end if;
  if jsonb_typeof(p_metadata) <> 'object' then
    raise exception using errcode = '22023', message = 'message metadata must be a JSON object';
  end if;
  if octet_length(p_metadata::text) > 8192 then
    raise exception using errcode = '22001',
      message = format('message metadata is larger than 8 KB (8192 bytes as JSON text; got %s)', octet_length(p_metadata::text));
  end if;
end
$$;

-- The input of a chat.reply task: its conversation, the message it answers and that message's
-- metadata (what the worker is handed; absent when there is none).
create function app_internal.chat_reply_input(p_conversation_id uuid, p_message_id uuid, p_metadata jsonb) returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object('conversation_id', p_conversation_id, 'message_id', p_message_id)
         || case when p_metadata is null then '{}'::jsonb else jsonb_build_object('metadata', p_metadata) end
$$;

revoke all on function app_internal.require_uid(), app_internal.check_message_content(text),
  app_internal.check_task_params(text, jsonb, text, integer, integer), app_internal.check_message_metadata(jsonb),
  app_internal.chat_reply_input(uuid, uuid, jsonb) from public;

-- A pending task; the same (owner, key) → the existing row, unchanged. The `chat.` kinds are
-- reserved: a chat.reply made here would have no user message to answer, and its worker reads
-- and writes a conversation, so only send_chat_message makes it (in the caller's conversation).
create function public.create_task(
  p_kind text,
  p_input jsonb,
  p_idempotency_key text,
  p_max_attempts integer default 3,
  p_timeout_seconds integer default 120,
  p_conversation_id uuid default null
) returns public.async_tasks
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
  v_task public.async_tasks;
begin
  perform app_internal.check_task_params(p_kind, p_input, p_idempotency_key, p_max_attempts, p_timeout_seconds);
  if starts_with(p_kind, 'chat.') then
    raise exception using errcode = '22023',
      message = format('task kind "%s" is reserved (the chat. kinds): chat replies are made by send_chat_message', p_kind);
  end if;

  if p_idempotency_key is not null then
    -- Serialise calls with the same key (a second one waits, then finds the first one's row).
    perform pg_advisory_xact_lock(hashtextextended(v_uid::text || '/' || p_idempotency_key, 0));
    select * into v_task from public.async_tasks
     where owner_id = v_uid and idempotency_key = p_idempotency_key;
    if found then
      return v_task;
    end if;
  end if;

  if p_conversation_id is not null and not exists (
    select 1 from public.conversations where id = p_conversation_id and owner_id = v_uid
  ) then
    raise exception using errcode = 'P0002', message = 'conversation not found';
  end if;

  insert into public.async_tasks (owner_id, conversation_id, kind, input, idempotency_key, max_attempts, timeout_seconds)
  values (v_uid, p_conversation_id, p_kind, coalesce(p_input, '{}'::jsonb), p_idempotency_key,
          p_max_attempts, p_timeout_seconds)
  on conflict (owner_id, idempotency_key) do nothing
  returning * into v_task;

  if not found then
    -- A concurrent call with the same key won the insert: answer with its row.
    select * into v_task from public.async_tasks
     where owner_id = v_uid and idempotency_key = p_idempotency_key;
  end if;
  return v_task;
end
$$;

revoke all on function public.create_task(text, jsonb, text, integer, integer, uuid) from public, anon, authenticated, service_role;
grant execute on function public.create_task(text, jsonb, text, integer, integer, uuid) to authenticated, service_role;

-- One chat turn in one transaction: the conversation (new when p_conversation_id is null), the
-- user message and its chat.reply task. p_timeout_seconds is the reply's per-attempt budget
-- (null = 120; the server passes CHAT_REPLY_TIMEOUT_SECONDS). p_metadata is the site's metadata
-- of the message (a JSON object ≤ 8 KB), stored with it and handed to the worker in the task's
-- input. An empty conversation takes its title from its first message. A single signature with
-- defaulted last parameters: an overload would make a three-argument call ambiguous (in SQL and
-- for PostgREST's RPC).
create function public.send_chat_message(
  p_conversation_id uuid,
  p_content text,
  p_idempotency_key text,
  p_timeout_seconds integer default 120,
  p_metadata jsonb default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
  v_conversation_id uuid := p_conversation_id;
  v_task public.async_tasks;
  v_message public.chat_messages;
  v_task_id uuid := gen_random_uuid();
  v_message_id uuid := gen_random_uuid();
  v_created boolean := true;
  -- null means the default, so a caller can pass its setting through unset.
  v_timeout_seconds integer := coalesce(p_timeout_seconds, 120);
begin
  perform app_internal.check_message_content(p_content);
  perform app_internal.check_message_metadata(p_metadata);
  perform app_internal.check_task_params('chat.reply', null, p_idempotency_key, 3, v_timeout_seconds);

  if p_idempotency_key is not null then
    perform pg_advisory_xact_lock(hashtextextended(v_uid::text || '/' || p_idempotency_key, 0));
    select * into v_task from public.async_tasks
     where owner_id = v_uid and idempotency_key = p_idempotency_key;
  end if;

  if v_task.id is null then
    if v_conversation_id is null then
      insert into public.conversations (owner_id, title)
      values (v_uid, left(p_content, 80))
      returning id into v_conversation_id;
    elsif not exists (
      select 1 from public.conversations where id = v_conversation_id and owner_id = v_uid
    ) then
      raise exception using errcode = 'P0002', message = 'conversation not found';
    else
      update public.conversations set title = left(p_content, 80)
       where id = v_conversation_id and title is null
         and not exists (select 1 from public.chat_messages where conversation_id = v_conversation_id);
    end if;

    insert into public.async_tasks (id, owner_id, conversation_id, kind, input, idempotency_key, timeout_seconds)
    values (v_task_id, v_uid, v_conversation_id, 'chat.reply',
            app_internal.chat_reply_input(v_conversation_id, v_message_id, p_metadata),
            p_idempotency_key, v_timeout_seconds)
    on conflict (owner_id, idempotency_key) do nothing
    returning * into v_task;

    if v_task.id is not null then
      insert into public.chat_messages (id, conversation_id, owner_id, role, content, async_task_id, metadata)
      values (v_message_id, v_conversation_id, v_uid, 'user', p_content, v_task_id, p_metadata)
      returning * into v_message;
    else
      -- Only reachable when a direct insert took the key meanwhile: answer with that row.
      select * into v_task from public.async_tasks
       where owner_id = v_uid and idempotency_key = p_idempotency_key;
    end if;
  end if;

  if v_message.id is null then
    v_created := false;
    if v_task.kind <> 'chat.reply' then
      raise exception using errcode = '23505',
        message = 'idempotency key already used for another kind of request';
    end if;
    select * into v_message from public.chat_messages
     where async_task_id = v_task.id and role = 'user'
     order by seq limit 1;
    v_conversation_id := v_task.conversation_id;
  end if;

  return jsonb_build_object(
    'conversation_id', v_conversation_id,
    'message', to_jsonb(v_message),
    'task', to_jsonb(v_task),
    'created', v_created
  );
end
$$;

revoke all on function public.send_chat_message(uuid, text, text, integer, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.send_chat_message(uuid, text, text, integer, jsonb) to authenticated, service_role;

-- Pending and not dispatched → cancelled at once; dispatched or processing → cancel_requested
-- (the worker's next call finishes it, see 20261201000500_worker_functions.sql); terminal → unchanged.
create function public.request_task_cancel(p_task_id uuid) returns public.async_tasks
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
  v_task public.async_tasks;
begin
  select * into v_task from public.async_tasks
   where id = p_task_id and owner_id = v_uid
   for update;
  if not found then
    raise exception using errcode = 'P0002', message = 'task not found';
  end if;

  if v_task.status = 'pending' and v_task.dispatched_at is null then
    update public.async_tasks
       set status = 'cancelled', cancel_requested = true, finished_at = now(), deadline_at = null
     where id = p_task_id
     returning * into v_task;
  elsif v_task.status in ('pending', 'processing') and not v_task.cancel_requested then
    update public.async_tasks set cancel_requested = true
     where id = p_task_id
     returning * into v_task;
  end if;
  return v_task;
end
$$;

revoke all on function public.request_task_cancel(uuid) from public, anon, authenticated, service_role;
grant execute on function public.request_task_cancel(uuid) to authenticated, service_role;

-- failed → pending, due now, with one more attempt allowed; other states → unchanged.
create function public.retry_task(p_task_id uuid) returns public.async_tasks
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
  v_task public.async_tasks;
begin
  select * into v_task from public.async_tasks
   where id = p_task_id and owner_id = v_uid
   for update;
  if not found then
    raise exception using errcode = 'P0002', message = 'task not found';
  end if;

  if v_task.status = 'failed' then
    update public.async_tasks
       set status = 'pending',
           max_attempts = greatest(max_attempts, attempt + 1),
           next_attempt_at = now(),
           dispatched_at = null,
           deadline_at = null,
           started_at = null,
           finished_at = null,
           partial_text = null,
           cancel_requested = false
     where id = p_task_id
     returning * into v_task;
  end if;
  return v_task;
end
$$;

revoke all on function public.retry_task(uuid) from public, anon, authenticated, service_role;
grant execute on function public.retry_task(uuid) to authenticated, service_role;
