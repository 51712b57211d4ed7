-- What a visitor does with whole conversations and with the last turn of one: list them, delete
-- one (its reply in flight stopped first), answer the last question again (regenerate), replace
-- the last question (edit); and the workflow's title for a conversation. The functions act for
-- auth.uid() only (SECURITY DEFINER, empty search_path) and answer P0002 for someone else's row
-- exactly as for an unknown one. Regenerate and edit make their reply as send_chat_message does:
-- a pending chat.reply task in the same transaction, through the same state machine.
--
-- What a regenerate or an edit replaces stays in the database, linked: the replaced messages get
-- replaced_by_task_id (the new task), the new task replaces_task_id (the old one). Readers leave
-- replaced messages and tasks out of the thread; task_conversation_history leaves them out of the
-- prompt.
--
-- Errors: 42501 no user; P0002 conversation / message not found; 55000 (object_not_in_prerequisite_state)
-- the message is not the last question of its conversation, or its reply is still being written
-- (regenerate); 22023 / 22001 bad content, metadata, key or title; 23505 a key used for another request.

-- The visitor's conversations, newest activity first (the newest visible message, else the
-- creation), with the title and the last visible message (its first 200 characters). Keyset
-- paging: a page after (p_before_micros, p_before_id), the last row's last_activity_micros and id.
-- p_conversation_id: that one conversation's line only (after a create or a rename).
create function public.list_conversations(
  p_limit integer default 20,
  p_before_micros bigint default null,
  p_before_id uuid default null,
  p_conversation_id uuid default null
) returns table (
  id uuid,
  title text,
  created_at timestamptz,
  last_activity_at timestamptz,
  last_activity_micros bigint,
  last_role text,
  last_content text,
  last_created_at timestamptz
)
language sql stable
security definer
set search_path = ''
as $$
  with mine as (
    select c.id, c.title, c.created_at, l.role, l.content, l.created_at as last_created_at,
           greatest(c.created_at, coalesce(l.created_at, c.created_at)) as last_activity_at
      from public.conversations c
      left join lateral (
        select m.role, left(m.content, 200) as content, m.created_at
          from public.chat_messages m
         where m.conversation_id = c.id and m.replaced_by_task_id is null
         order by m.seq desc
         limit 1
      ) l on true
     where c.owner_id = app_internal.require_uid()
       and (p_conversation_id is null or c.id = p_conversation_id)
  ),
  keyed as (
    select mine.*, (extract(epoch from mine.last_activity_at) * 1000000)::bigint as last_activity_micros from mine
  )
  select k.id, k.title, k.created_at, k.last_activity_at, k.last_activity_micros, k.role, k.content, k.last_created_at
    from keyed k
   where p_before_micros is null
      or (k.last_activity_micros, k.id) < (p_before_micros, coalesce(p_before_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid))
   order by k.last_activity_micros desc, k.id desc
   limit least(greatest(coalesce(p_limit, 20), 1), 100)
$$;

revoke all on function public.list_conversations(integer, bigint, uuid, uuid) from public, anon, authenticated, service_role;
grant execute on function public.list_conversations(integer, bigint, uuid, uuid) to authenticated, service_role;

-- Deletes a conversation of the caller with its messages, tasks and feedback (the foreign keys
-- cascade). A reply in flight is stopped first, in the same transaction: a pending one not yet
-- handed out is cancelled, one a worker holds is cancel-requested, so the worker's cancel watch
-- fires; its next call then finds nothing and answers false, and nothing of it is written.
-- Every stream on the conversation is told by a notification (conversations_notify_delete) and
-- closes; whatever reconnects is answered 404.
create function public.delete_conversation(p_conversation_id uuid) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
begin
  perform 1 from public.conversations where id = p_conversation_id and owner_id = v_uid for update;
  if not found then
    raise exception using errcode = 'P0002', message = 'conversation not found';
  end if;

  update public.async_tasks
     set cancel_requested = true,
         status = case when status = 'pending' and dispatched_at is null then 'cancelled' else status end,
         finished_at = case when status = 'pending' and dispatched_at is null then now() else finished_at end
   where conversation_id = p_conversation_id and status in ('pending', 'processing') and not cancel_requested;

  delete from public.conversations where id = p_conversation_id;
  return true;
end
$$;

revoke all on function public.delete_conversation(uuid) from public, anon, authenticated, service_role;
grant execute on function public.delete_conversation(uuid) to authenticated, service_role;

-- The deleted conversation's id on app_events, so its streams close (the cascaded rows notify nothing).
create function app_internal.notify_conversation_deleted() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_notify('app_events', json_build_object('table', 'conversations', 'id', old.id, 'conversation_id', old.id)::text);
  return null;
end
$$;

revoke all on function app_internal.notify_conversation_deleted() from public;

create trigger conversations_notify_delete
  after delete on public.conversations
  for each row execute function app_internal.notify_conversation_deleted();

-- Each task that goes (with its conversation) is named on app_events too: its own streams end and
-- a runner holding it stops at once (the cascaded messages need nothing: nothing streams one alone).
create function app_internal.notify_task_deleted() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_notify('app_events', json_build_object('table', 'async_tasks', 'id', old.id, 'conversation_id', old.conversation_id)::text);
  return null;
end
$$;

revoke all on function app_internal.notify_task_deleted() from public;

create trigger async_tasks_notify_delete
  after delete on public.async_tasks
  for each row execute function app_internal.notify_task_deleted();

-- The answer of a regenerate or an edit, as send_chat_message's: the question now answered, the
-- new task, what it replaced, and whether this call made them (false: the key was seen).
create function app_internal.resend_answer(p_task public.async_tasks, p_created boolean) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'conversation_id', p_task.conversation_id,
    'message', (select to_jsonb(m) from public.chat_messages m
                 where m.async_task_id = p_task.id and m.role = 'user' order by m.seq limit 1),
    'task', to_jsonb(p_task),
    'replaced', coalesce((select jsonb_agg(to_jsonb(m) order by m.seq) from public.chat_messages m
                           where m.replaced_by_task_id = p_task.id), '[]'::jsonb),
    'created', p_created
  )
$$;

-- The question a regenerate or an edit works on, locked with its conversation: the caller's
-- user message, in the thread, with no later question (P0002 / 55000 otherwise).
create function app_internal.last_question(p_uid uuid, p_message_id uuid) returns public.chat_messages
language plpgsql
set search_path = ''
as $$
declare
  v_message public.chat_messages;
begin
  select * into v_message from public.chat_messages
   where id = p_message_id and owner_id = p_uid and role = 'user' and replaced_by_task_id is null;
  if not found then
    raise exception using errcode = 'P0002', message = 'message not found';
  end if;
  -- One change of a conversation's last turn at a time (a send, a regenerate, an edit).
  perform 1 from public.conversations where id = v_message.conversation_id for update;
  select * into v_message from public.chat_messages where id = p_message_id for update;
  if v_message.replaced_by_task_id is not null or exists (
    select 1 from public.chat_messages m
     where m.conversation_id = v_message.conversation_id and m.role = 'user'
       and m.replaced_by_task_id is null and m.seq > v_message.seq
  ) then
    raise exception using errcode = '55000', message = 'only the last message of a conversation can be answered again or edited';
  end if;
  return v_message;
end
$$;

-- The key's earlier task, when there is one (the key's advisory lock held): a repeated call answers with it.
create function app_internal.task_of_key(p_uid uuid, p_idempotency_key text) returns public.async_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_task public.async_tasks;
begin
  perform pg_advisory_xact_lock(hashtextextended(p_uid::text || '/' || p_idempotency_key, 0));
  select * into v_task from public.async_tasks where owner_id = p_uid and idempotency_key = p_idempotency_key;
  if found and v_task.kind <> 'chat.reply' then
    raise exception using errcode = '23505', message = 'idempotency key already used for another kind of request';
  end if;
  return v_task;
end
$$;

revoke all on function app_internal.resend_answer(public.async_tasks, boolean), app_internal.last_question(uuid, uuid),
  app_internal.task_of_key(uuid, text) from public;

-- Answers the last question of a conversation again: a new chat.reply task for the same message
-- (its async_task_id moves to the new task, so the history and the thread follow it), the old
-- reply's message taken out of the thread. Refused while the old reply is being written (stop it
-- first). The same key → the same rows.
create function public.regenerate_chat_reply(
  p_message_id uuid,
  p_idempotency_key text,
  p_timeout_seconds integer default 120
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
  v_timeout_seconds integer := coalesce(p_timeout_seconds, 120);
  v_question public.chat_messages;
  v_old public.async_tasks;
  v_task public.async_tasks;
begin
  perform app_internal.check_task_params('chat.reply', null, p_idempotency_key, 3, v_timeout_seconds);
  if p_idempotency_key is null then
    raise exception using errcode = '22023', message = 'idempotency key must be 1 to 255 characters';
  end if;
  v_task := app_internal.task_of_key(v_uid, p_idempotency_key);
  if v_task.id is not null then
    return app_internal.resend_answer(v_task, false);
  end if;

  v_question := app_internal.last_question(v_uid, p_message_id);
  select * into v_old from public.async_tasks where id = v_question.async_task_id for update;
  if v_old.status in ('pending', 'processing') then
    raise exception using errcode = '55000', message = 'the reply is still being written: stop it first';
  end if;

  insert into public.async_tasks (owner_id, conversation_id, kind, input, idempotency_key, timeout_seconds, replaces_task_id)
  values (v_uid, v_question.conversation_id, 'chat.reply',
          app_internal.chat_reply_input(v_question.conversation_id, v_question.id, v_question.metadata),
          p_idempotency_key, v_timeout_seconds, v_old.id)
  returning * into v_task;

  update public.chat_messages set replaced_by_task_id = v_task.id
   where conversation_id = v_question.conversation_id and role = 'assistant'
     and async_task_id = v_old.id and replaced_by_task_id is null;
  update public.chat_messages set async_task_id = v_task.id where id = v_question.id;
  return app_internal.resend_answer(v_task, true);
end
$$;

revoke all on function public.regenerate_chat_reply(uuid, text, integer) from public, anon, authenticated, service_role;
grant execute on function public.regenerate_chat_reply(uuid, text, integer) to authenticated, service_role;

-- Replaces the last question of a conversation by a new message (p_content, p_metadata) with its
-- own chat.reply task; the old question and its reply leave the thread. The question's files
-- (uploads) go with its text to the new message, so the new reply sees them too. The edit of a
-- first message also changes the title that was made from it. A reply still being
-- written is stopped first, as request_task_cancel does. The same key → the same rows.
create function public.edit_chat_message(
  p_message_id uuid,
  p_content text,
  p_idempotency_key text,
  p_metadata jsonb default null,
  p_timeout_seconds integer default 120
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
  v_timeout_seconds integer := coalesce(p_timeout_seconds, 120);
  v_question public.chat_messages;
  v_old public.async_tasks;
  v_task public.async_tasks;
  v_message_id uuid := gen_random_uuid();
begin
  perform app_internal.check_message_content(p_content);
  perform app_internal.check_message_metadata(p_metadata);
  perform app_internal.check_task_params('chat.reply', null, p_idempotency_key, 3, v_timeout_seconds);
  if p_idempotency_key is null then
    raise exception using errcode = '22023', message = 'idempotency key must be 1 to 255 characters';
  end if;
  v_task := app_internal.task_of_key(v_uid, p_idempotency_key);
  if v_task.id is not null then
    return app_internal.resend_answer(v_task, false);
  end if;

  v_question := app_internal.last_question(v_uid, p_message_id);
  select * into v_old from public.async_tasks where id = v_question.async_task_id for update;
  if v_old.status = 'pending' and v_old.dispatched_at is null then
    update public.async_tasks set status = 'cancelled', cancel_requested = true, finished_at = now(), deadline_at = null
     where id = v_old.id;
  elsif v_old.status in ('pending', 'processing') and not v_old.cancel_requested then
    update public.async_tasks set cancel_requested = true where id = v_old.id;
  end if;

  insert into public.async_tasks (owner_id, conversation_id, kind, input, idempotency_key, timeout_seconds, replaces_task_id)
  values (v_uid, v_question.conversation_id, 'chat.reply',
          app_internal.chat_reply_input(v_question.conversation_id, v_message_id, p_metadata),
          p_idempotency_key, v_timeout_seconds, v_old.id)
  returning * into v_task;

  update public.chat_messages set replaced_by_task_id = v_task.id
   where conversation_id = v_question.conversation_id and replaced_by_task_id is null
     and (id = v_question.id or (role = 'assistant' and async_task_id = v_old.id));
  insert into public.chat_messages (id, conversation_id, owner_id, role, content, async_task_id, metadata)
  values (v_message_id, v_question.conversation_id, v_uid, 'user', p_content, v_task.id, p_metadata);
  update public.uploads set message_id = v_message_id where message_id = v_question.id;
  -- A title made from the first message follows its edit (one the visitor or the workflow chose stays).
  if not exists (
    select 1 from public.chat_messages
     where conversation_id = v_question.conversation_id and seq < v_question.seq and replaced_by_task_id is null
  ) then
    update public.conversations set title = left(p_content, 80)
     where id = v_question.conversation_id and title = left(v_question.content, 80);
  end if;
  return app_internal.resend_answer(v_task, true);
end
$$;

revoke all on function public.edit_chat_message(uuid, text, text, jsonb, integer) from public, anon, authenticated, service_role;
grant execute on function public.edit_chat_message(uuid, text, text, jsonb, integer) to authenticated, service_role;

-- The workflow names the conversation of the task it works on (a live attempt only, so a stale
-- or finished attempt changes nothing): 1 to 200 characters after trimming, else 22023.
create function public.task_set_conversation_title(p_task_id uuid, p_attempt integer, p_title text) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_title text := btrim(p_title);
  v_task public.async_tasks;
begin
  if v_title is null or char_length(v_title) not between 1 and 200 then
    raise exception using errcode = '22023', message = 'conversation title must be 1 to 200 characters';
  end if;
  select * into v_task from public.async_tasks where id = p_task_id;
  if not app_internal.is_live_attempt(v_task, p_attempt) or v_task.conversation_id is null then
    return false;
  end if;
  update public.conversations set title = v_title where id = v_task.conversation_id;
  return true;
end
$$;

revoke all on function public.task_set_conversation_title(uuid, integer, text) from public, anon, authenticated, service_role;
grant execute on function public.task_set_conversation_title(uuid, integer, text) to async_worker, service_role;
