-- The reply deadline of a chat message becomes a parameter: send_chat_message(…, p_timeout_seconds)
-- sets the chat.reply task's timeout_seconds (the per-attempt budget from which task_claim sets
-- deadline_at). Default 120, as before; null also means 120; 1…86400 like create_task. The server
-- passes its CHAT_REPLY_TIMEOUT_SECONDS. A call with three arguments works as before.
--
-- The old three-argument function is dropped rather than overloaded: two candidates for a
-- three-argument call would make it ambiguous (in SQL and for PostgREST's RPC). Same body, same
-- SECURITY DEFINER with an empty search_path, same grants.

drop function public.send_chat_message(uuid, text, text);

create function public.send_chat_message(
  p_conversation_id uuid,
  p_content text,
  p_idempotency_key text,
  p_timeout_seconds integer default 120
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
    end if;

    insert into public.async_tasks (id, owner_id, conversation_id, kind, input, idempotency_key, timeout_seconds)
    values (v_task_id, v_uid, v_conversation_id, 'chat.reply',
            jsonb_build_object('conversation_id', v_conversation_id, 'message_id', v_message_id),
            p_idempotency_key, v_timeout_seconds)
    on conflict (owner_id, idempotency_key) do nothing
    returning * into v_task;

    if v_task.id is not null then
      insert into public.chat_messages (id, conversation_id, owner_id, role, content, async_task_id)
      values (v_message_id, v_conversation_id, v_uid, 'user', p_content, v_task_id)
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

revoke all on function public.send_chat_message(uuid, text, text, integer) from public, anon, authenticated, service_role;
grant execute on function public.send_chat_message(uuid, text, text, integer) to authenticated, service_role;
