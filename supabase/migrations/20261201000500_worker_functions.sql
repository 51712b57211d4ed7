-- Functions the workers call: the server's dispatcher, the built-in runner, n8n's Postgres node.
-- The task state machine lives here; task_sweep, which recovers attempts nobody finishes, is in
-- 20261201000600_task_sweep.sql. Every function sets an empty search_path; the public ones are
-- SECURITY DEFINER (except the pure task_backoff), with EXECUTE for async_worker and service_role
-- only; the app_internal steps are callable by none of the API roles.
--
-- The state machine (docs/database.md):
--   pending ─claim→ pending(dispatched) ─start/progress→ processing ─complete→ completed
--                                                       └─fail→ pending (retry, backoff) | failed
--   cancel: pending(not dispatched) → cancelled at once; otherwise cancel_requested, then the
--   worker's task_start / task_progress / task_cancel / task_complete / task_fail (or the sweep)
--   → cancelled.
--   failed ─retry_task→ pending. completed / failed / cancelled never move otherwise.
--
-- partial_text belongs to the current attempt (task_output writes it while a reply streams): it
-- is cleared when an attempt goes back to pending, at every claim and on completion (the
-- assistant message then holds the text); a failed or cancelled task keeps it, so the visitor
-- sees what was made before the failure or the Stop.
--
-- Every worker call names the attempt it works on. It applies only when that is the current
-- attempt and the attempt is live: status processing, or pending and dispatched. Otherwise it
-- returns false and changes nothing (a report for an old attempt, a finished task, an unknown id).

-- The delay before attempt n+1 after attempt n failed.
create function public.task_backoff(p_attempt integer) returns interval
language plpgsql volatile
set search_path = ''
as $$
declare
  -- base 2 s, doubling per attempt, capped at 5 min; the jitter keeps [delay/2, delay].
  v_delay double precision := least(300.0, 2.0 * power(2.0, least(greatest(coalesce(p_attempt, 1), 1), 30) - 1));
begin
  return make_interval(secs => v_delay / 2 + random() * (v_delay / 2));
end
$$;

revoke all on function public.task_backoff(integer) from public, anon, authenticated, service_role;
grant execute on function public.task_backoff(integer) to async_worker, service_role;

-- Internal steps of the state machine (no API role may call them).

create function app_internal.is_live_attempt(p_task public.async_tasks, p_attempt integer) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_task.id is not null
     and p_task.attempt >= 1
     and p_task.attempt = p_attempt
     and (p_task.status = 'processing' or (p_task.status = 'pending' and p_task.dispatched_at is not null))
$$;

create function app_internal.lock_task(p_task_id uuid) returns public.async_tasks
language sql volatile
set search_path = ''
as $$
  select * from public.async_tasks where id = p_task_id for update
$$;

-- p_partial_text, when given, replaces the text written so far (a worker's last words at Stop).
create function app_internal.finish_cancelled(p_task_id uuid, p_partial_text text default null) returns void
language sql volatile
set search_path = ''
as $$
  update public.async_tasks
     set status = 'cancelled', cancel_requested = true, finished_at = now(), deadline_at = null,
         partial_text = case when p_partial_text is null then partial_text else nullif(p_partial_text, '') end
   where id = p_task_id
$$;

-- Retry with backoff while attempts remain and the error is retryable; else failed.
create function app_internal.apply_failure(
  p_task public.async_tasks, p_code text, p_message text, p_retryable boolean, p_details jsonb
) returns text
language plpgsql volatile
set search_path = ''
as $$
declare
  v_error jsonb := jsonb_build_object(
    'code', coalesce(nullif(p_code, ''), 'error'),
    'message', coalesce(nullif(p_message, ''), 'the task failed'),
    'retryable', coalesce(p_retryable, true)
  ) || case when p_details is null then '{}'::jsonb else jsonb_build_object('details', p_details) end;
begin
  if p_task.cancel_requested then
    perform app_internal.finish_cancelled(p_task.id);
    return 'cancelled';
  end if;
  if coalesce(p_retryable, true) and p_task.attempt < p_task.max_attempts then
    update public.async_tasks
       set status = 'pending', error = v_error,
           next_attempt_at = now() + public.task_backoff(p_task.attempt),
           dispatched_at = null, deadline_at = null, started_at = null, partial_text = null
     where id = p_task.id;
    return 'pending';
  end if;
  update public.async_tasks
     set status = 'failed', error = v_error, finished_at = now(), deadline_at = null
   where id = p_task.id;
  return 'failed';
end
$$;

revoke all on function
  app_internal.is_live_attempt(public.async_tasks, integer),
  app_internal.lock_task(uuid),
  app_internal.finish_cancelled(uuid, text),
  app_internal.apply_failure(public.async_tasks, text, text, boolean, jsonb)
  from public;

-- Hands out due tasks: pending, not dispatched, not cancel-requested, next_attempt_at passed, and
-- no earlier task of the same kind still open in the same conversation (replies are made one at a
-- time, in the order asked, so each sees the ones before it). Oldest first, SKIP LOCKED, at most
-- 1000; a task whose conversation is being written right now waits for a later claim. Each
-- claim starts a new attempt: attempt + 1, dispatched_at, deadline_at, execution_id
-- cleared (it names the current attempt's execution, see task_fail_execution). With p_instance
-- (the built-in runner) the attempt is recorded as held by that instance
-- (20261201000300_runner_instances.sql); without it (n8n's dispatcher) nothing is recorded.
create function public.task_claim(p_limit integer default 1, p_kinds text[] default null, p_instance uuid default null)
returns setof public.async_tasks
language sql volatile
security definer
set search_path = ''
as $$
  with due as (
    select t.id from public.async_tasks t
     where t.status = 'pending'
       and t.dispatched_at is null
       and not t.cancel_requested
       and t.next_attempt_at <= now()
       and (p_kinds is null or t.kind = any (p_kinds))
       and (t.conversation_id is null or not exists (
         select 1 from public.async_tasks earlier
          where earlier.conversation_id = t.conversation_id
            and earlier.kind = t.kind
            and earlier.status in ('pending', 'processing')
            and (earlier.created_at, earlier.id) < (t.created_at, t.id)))
       -- A conversation being written right now is passed over, not waited for: its counter is
       -- locked until that write commits (20261201000100_change_feed.sql). Locking the counter
       -- before the task keeps concurrent claimers, the sweep and visitors from deadlocking.
       and (t.conversation_id is null or exists (
         select 1 from app_internal.conversation_seq s
          where s.conversation_id = t.conversation_id
          for update skip locked))
     order by t.next_attempt_at, t.created_at
     limit least(greatest(coalesce(p_limit, 1), 0), 1000)
     for update skip locked
  ),
  claimed as (
    update public.async_tasks t
       set attempt = t.attempt + 1,
           dispatched_at = now(),
           deadline_at = now() + make_interval(secs => t.timeout_seconds),
           execution_id = null,
           partial_text = null
      from due
     where t.id = due.id
    returning t.*
  ),
  -- Claiming proves the instance alive (so a claim never precedes its first heartbeat).
  alive as (
    insert into app_internal.runner_instances (id)
    select p_instance where p_instance is not null and exists (select 1 from claimed)
    on conflict (id) do update set heartbeat_at = now()
  ),
  held as (
    insert into app_internal.task_claims (task_id, attempt, instance_id)
    select c.id, c.attempt, p_instance from claimed c where p_instance is not null
    on conflict (task_id) do update set attempt = excluded.attempt, instance_id = excluded.instance_id
  ),
  unheld as (
    delete from app_internal.task_claims tc using claimed c
     where p_instance is null and tc.task_id = c.id
  )
  select * from claimed
$$;

revoke all on function public.task_claim(integer, text[], uuid) from public, anon, authenticated, service_role;
grant execute on function public.task_claim(integer, text[], uuid) to async_worker, service_role;

-- The worker begins (or re-reports) the attempt: → processing. A cancel-requested task that has
-- not started yet is cancelled instead, and the answer false means "do not start".
create function public.task_start(
  p_task_id uuid, p_attempt integer, p_execution_id text default null, p_status_message text default null
) returns boolean
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks := app_internal.lock_task(p_task_id);
begin
  if not app_internal.is_live_attempt(v_task, p_attempt) then
    return false;
  end if;
  if v_task.status = 'pending' and v_task.cancel_requested then
    -- Cancelled before any work began: tell the worker not to start.
    perform app_internal.finish_cancelled(p_task_id);
    return false;
  end if;
  update public.async_tasks
     set status = 'processing',
         started_at = case when status = 'pending' then now() else started_at end,
         execution_id = coalesce(p_execution_id, execution_id),
         status_message = coalesce(p_status_message, status_message)
   where id = p_task_id;
  return true;
end
$$;

revoke all on function public.task_start(uuid, integer, text, text) from public, anon, authenticated, service_role;
grant execute on function public.task_start(uuid, integer, text, text) to async_worker, service_role;

-- A status line for the UI. On a cancel-requested task it finishes the cancel and answers false
-- ("stop"), so a worker that simply stops leaves nothing open.
create function public.task_progress(p_task_id uuid, p_attempt integer, p_status_message text)
returns boolean
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks := app_internal.lock_task(p_task_id);
begin
  if not app_internal.is_live_attempt(v_task, p_attempt) then
    return false;
  end if;
  if v_task.cancel_requested then
    perform app_internal.finish_cancelled(p_task_id);
    return false;
  end if;
  if char_length(p_status_message) > 1000 then
    raise exception using errcode = '22001', message = 'status message is longer than 1000 characters';
  end if;
  update public.async_tasks
     set status = 'processing',
         started_at = case when status = 'pending' then now() else started_at end,
         status_message = p_status_message
   where id = p_task_id;
  return true;
end
$$;

revoke all on function public.task_progress(uuid, integer, text) from public, anon, authenticated, service_role;
grant execute on function public.task_progress(uuid, integer, text) to async_worker, service_role;

-- The text written so far, as a reply streams: appended (or, with p_replace, replaced: a worker
-- that starts the text over). Workers coalesce their model's chunks and call this a few times a
-- second, never per token: each accepted call is one row update and one notification, which
-- every stream re-reads. Same rules as task_progress: only the live attempt, and on a
-- cancel-requested task it finishes the cancel and answers false ("stop"). An empty append
-- changes nothing.
create function public.task_output(p_task_id uuid, p_attempt integer, p_text text, p_replace boolean default false)
returns boolean
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks := app_internal.lock_task(p_task_id);
  v_text text;
begin
  if not app_internal.is_live_attempt(v_task, p_attempt) then
    return false;
  end if;
  if v_task.cancel_requested then
    perform app_internal.finish_cancelled(p_task_id);
    return false;
  end if;
  if coalesce(p_text, '') = '' and not coalesce(p_replace, false) then
    return true;
  end if;
  v_text := case when coalesce(p_replace, false) then coalesce(p_text, '') else coalesce(v_task.partial_text, '') || p_text end;
  if char_length(v_text) > 16000 then
    raise exception using errcode = '22001',
      message = format('the reply is longer than 16000 characters (%s)', char_length(v_text));
  end if;
  update public.async_tasks
     set status = 'processing',
         started_at = case when status = 'pending' then now() else started_at end,
         partial_text = nullif(v_text, '')
   where id = p_task_id;
  return true;
end
$$;

revoke all on function public.task_output(uuid, integer, text, boolean) from public, anon, authenticated, service_role;
grant execute on function public.task_output(uuid, integer, text, boolean) to async_worker, service_role;

-- → completed; a chat.reply writes its assistant message in the same transaction, exactly once,
-- into the task's own conversation: its conversation_id column, which the table's constraints
-- keep set and owned by the task's owner (the input is the worker's, never trusted here).
create function public.task_complete(p_task_id uuid, p_attempt integer, p_result jsonb)
returns boolean
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks := app_internal.lock_task(p_task_id);
  v_content text;
begin
  if not app_internal.is_live_attempt(v_task, p_attempt) then
    return false;
  end if;
  if v_task.cancel_requested then
    perform app_internal.finish_cancelled(p_task_id);
    return true;
  end if;

  if v_task.kind = 'chat.reply' then
    v_content := p_result ->> 'content';
    if v_content is null or char_length(v_content) = 0 then
      raise exception using errcode = '22023',
        message = 'chat.reply result needs a non-empty "content" string';
    end if;
    if char_length(v_content) > 16000 then
      raise exception using errcode = '22001',
        message = format('message content is longer than 16000 characters (%s)', char_length(v_content));
    end if;
    insert into public.chat_messages (conversation_id, owner_id, role, content, async_task_id)
    values (v_task.conversation_id, v_task.owner_id, 'assistant', v_content, p_task_id)
    on conflict (async_task_id) where role = 'assistant' do nothing;
  end if;

  update public.async_tasks
     set status = 'completed', result = p_result, error = null, partial_text = null,
         finished_at = now(), deadline_at = null
   where id = p_task_id;
  return true;
end
$$;

revoke all on function public.task_complete(uuid, integer, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.task_complete(uuid, integer, jsonb) to async_worker, service_role;

create function public.task_fail(
  p_task_id uuid, p_attempt integer, p_code text, p_message text,
  p_retryable boolean default true, p_details jsonb default null
) returns boolean
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks := app_internal.lock_task(p_task_id);
begin
  if not app_internal.is_live_attempt(v_task, p_attempt) then
    return false;
  end if;
  perform app_internal.apply_failure(v_task, p_code, p_message, p_retryable, p_details);
  return true;
end
$$;

revoke all on function public.task_fail(uuid, integer, text, text, boolean, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.task_fail(uuid, integer, text, text, boolean, jsonb) to async_worker, service_role;

-- For n8n's Error Trigger workflow, which knows only the failed execution's id (not the task or
-- its attempt): fail the live attempt that execution was working on.
create function public.task_fail_execution(
  p_execution_id text, p_code text, p_message text,
  p_retryable boolean default true, p_details jsonb default null
) returns boolean
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks;
begin
  if p_execution_id is null or p_execution_id = '' then
    return false;
  end if;
  select * into v_task from public.async_tasks
   where execution_id = p_execution_id and status in ('pending', 'processing')
   order by updated_at desc
   limit 1
   for update;
  if not found or not app_internal.is_live_attempt(v_task, v_task.attempt) then
    return false;
  end if;
  perform app_internal.apply_failure(v_task, p_code, p_message, p_retryable, p_details);
  return true;
end
$$;

revoke all on function public.task_fail_execution(text, text, text, boolean, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.task_fail_execution(text, text, text, boolean, jsonb) to async_worker, service_role;

-- The worker acknowledges a cancel request. p_partial_text, when given, is the text the attempt
-- had written when it stopped: the stopped reply keeps it.
create function public.task_cancel(p_task_id uuid, p_attempt integer, p_partial_text text default null) returns boolean
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks := app_internal.lock_task(p_task_id);
begin
  if not app_internal.is_live_attempt(v_task, p_attempt) then
    return false;
  end if;
  if char_length(p_partial_text) > 16000 then
    raise exception using errcode = '22001',
      message = format('the reply is longer than 16000 characters (%s)', char_length(p_partial_text));
  end if;
  perform app_internal.finish_cancelled(p_task_id, p_partial_text);
  return true;
end
$$;

revoke all on function public.task_cancel(uuid, integer, text) from public, anon, authenticated, service_role;
grant execute on function public.task_cancel(uuid, integer, text) to async_worker, service_role;

-- The worker's read of a conversation: the last p_limit (1..500) messages, oldest first.
create function public.conversation_history(p_conversation_id uuid, p_limit integer default 50)
returns setof public.chat_messages
language sql stable
security definer
set search_path = ''
as $$
  select * from (
    select * from public.chat_messages
     where conversation_id = p_conversation_id
     order by seq desc
     limit least(greatest(coalesce(p_limit, 50), 1), 500)
  ) last_messages
  order by seq
$$;

revoke all on function public.conversation_history(uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.conversation_history(uuid, integer) to async_worker, service_role;

-- The history a task's attempt answers, found from the task alone: the last p_limit (1..500)
-- messages of the task's own conversation (its conversation_id column, never an id the worker
-- passes or the input names), oldest first, without the user messages sent after the one the
-- task answers (each is for a later task) and anything written for those. Nothing for an unknown
-- task, a task without a conversation, or an attempt that is not live (a stale worker reads
-- nothing). conversation_history reads whatever conversation it is given, as the worker's SELECT
-- on chat_messages could; a worker holding a task reads through this one, so a task can bring
-- only its own conversation to the model.
--
-- p_max_chars is the prompt budget, in characters of message content (null = 24000, about 6,000
-- tokens): the message the task answers is always in, whole, and the others join newest first
-- while the total stays within the budget; the first that does not fit ends the history (a
-- conversation's last turns, never a gap). So one reply sends the model at most
-- max(p_max_chars, 16000) characters besides the system prompt, however long the conversation.
-- The answered message is never cut: a cut question would be answered as another question.
-- Both workers (the built-in runner and the n8n workflow) read through here, so the budget is
-- enforced in one place.
create function public.task_conversation_history(
  p_task_id uuid,
  p_attempt integer,
  p_limit integer default 50,
  p_max_chars integer default 24000
)
returns setof public.chat_messages
language sql stable
security definer
set search_path = ''
as $$
  with task as (
    select t.id, t.conversation_id from public.async_tasks t
     where t.id = p_task_id and t.conversation_id is not null and app_internal.is_live_attempt(t, p_attempt)
  ),
  own as (
    select m.id, m.seq from public.chat_messages m join task on m.conversation_id = task.conversation_id
     where m.async_task_id = task.id and m.role = 'user'
     order by m.seq
     limit 1
  ),
  asked_later as (
    select m.id, m.async_task_id from public.chat_messages m join task on m.conversation_id = task.conversation_id
     where m.role = 'user' and m.seq > (select seq from own)
  ),
  -- Messages a regenerate or an edit replaced are out of the thread, and out of the prompt.
  last_messages as (
    select m.id, m.seq, char_length(m.content) as chars
      from public.chat_messages m join task on m.conversation_id = task.conversation_id
     where m.replaced_by_task_id is null
       and m.id not in (select id from asked_later)
       and (m.async_task_id is null
            or m.async_task_id not in (select async_task_id from asked_later where async_task_id is not null))
     order by m.seq desc
     limit least(greatest(coalesce(p_limit, 50), 1), 500)
  ),
  -- What the answered message leaves of the budget for the others (it may be outside p_limit).
  budget as (
    select greatest(coalesce(p_max_chars, 24000), 0)
           - coalesce((select l.chars from last_messages l where l.id = (select id from own)), 0) as left_for_others
  ),
  counted as (
    select l.id,
           l.id is not distinct from (select id from own) as is_own,
           sum(case when l.id is not distinct from (select id from own) then 0 else l.chars end)
             over (order by l.seq desc rows between unbounded preceding and current row) as chars_so_far
      from last_messages l
  )
  select m.* from public.chat_messages m
   where m.id in (select c.id from counted c where c.is_own or c.chars_so_far <= (select left_for_others from budget))
   order by m.seq
$$;

revoke all on function public.task_conversation_history(uuid, integer, integer, integer) from public, anon, authenticated, service_role;
grant execute on function public.task_conversation_history(uuid, integer, integer, integer) to async_worker, service_role;
