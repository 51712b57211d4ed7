-- For n8n's Error Trigger workflow, which knows only the failed execution's id
-- (docs/internals/requests.md): fail the task that execution was working on.
--
-- execution_id now means "the workflow execution of the current attempt": task_claim clears it
-- when it hands out a new attempt, so an old execution's id never matches a newer attempt.

create index async_tasks_execution_id_idx on public.async_tasks (execution_id)
  where execution_id is not null;

create or replace function public.task_claim(p_limit integer default 1, p_kinds text[] default null)
returns setof public.async_tasks
language sql volatile
security definer
set search_path = ''
as $$
  with due as (
    select id from public.async_tasks
     where status = 'pending'
       and dispatched_at is null
       and not cancel_requested
       and next_attempt_at <= now()
       and (p_kinds is null or kind = any (p_kinds))
     order by next_attempt_at, created_at
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

revoke all on function public.task_fail_execution(text, text, text, boolean, jsonb)
  from public, anon, authenticated, service_role;
grant execute on function public.task_fail_execution(text, text, text, boolean, jsonb)
  to async_worker, service_role;
-- create or replace keeps task_claim's grants; restated for clarity.
revoke all on function public.task_claim(integer, text[]) from public, anon, authenticated;
grant execute on function public.task_claim(integer, text[]) to async_worker, service_role;
