-- Two fixes to dispatch found by the n8n and server suites.
--
-- 1. A dispatch that reaches a worker but is never started (a workflow that rejects it, a lost
--    webhook) used to be handed out again forever: task_claim counts attempts but nothing
--    compared them with max_attempts. The sweep now treats "not started within the grace" as a
--    failed attempt: retried with backoff while attempts remain, then `failed` (`not_started`).
--
-- 2. Replies in one conversation are made one at a time, in the order they were asked: a task
--    of a conversation is not claimed while an earlier task of the same kind in that
--    conversation is still pending or processing, so every reply sees the ones before it.

create index async_tasks_open_by_conversation_idx on public.async_tasks (conversation_id, kind, created_at)
  where conversation_id is not null and status in ('pending', 'processing');

create or replace function public.task_claim(p_limit integer default 1, p_kinds text[] default null)
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
     order by t.next_attempt_at, t.created_at
     limit least(greatest(coalesce(p_limit, 1), 0), 1000)
     for update skip locked
  )
  update public.async_tasks t
     set attempt = t.attempt + 1,
         dispatched_at = now(),
         deadline_at = now() + make_interval(secs => t.timeout_seconds),
         execution_id = null
    from due
   where t.id = due.id
  returning t.*
$$;

create or replace function public.task_sweep(p_dispatch_grace_seconds integer default 30) returns jsonb
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks;
  v_grace integer := greatest(coalesce(p_dispatch_grace_seconds, 30), 0);
  v_timed_out integer := 0;
  v_redispatched integer := 0;
begin
  -- Live attempts past their deadline. Rows a worker holds right now are skipped: that
  -- worker's call decides, and a later sweep sees the outcome.
  for v_task in
    select * from public.async_tasks
     where status in ('pending', 'processing') and deadline_at < now()
       and (status = 'processing' or dispatched_at is not null)
     order by deadline_at
     for update skip locked
  loop
    perform app_internal.apply_failure(
      v_task, 'timeout',
      format('attempt %s did not finish within %s seconds', v_task.attempt, v_task.timeout_seconds),
      true, null);
    v_timed_out := v_timed_out + 1;
  end loop;

  -- Dispatched but never started within the grace (lost webhook, a worker that refused it, a
  -- crash between commit and dispatch): a failed attempt — handed out again after backoff while
  -- attempts remain, else failed; a cancel request finishes as cancelled.
  for v_task in
    select * from public.async_tasks
     where status = 'pending' and dispatched_at is not null
       and dispatched_at < now() - make_interval(secs => v_grace)
     for update skip locked
  loop
    if app_internal.apply_failure(
         v_task, 'not_started',
         format('the worker did not start attempt %s within %s seconds', v_task.attempt, v_grace),
         true, null) = 'pending' then
      v_redispatched := v_redispatched + 1;
    end if;
  end loop;

  return jsonb_build_object('timed_out', v_timed_out, 'redispatched', v_redispatched);
end
$$;
