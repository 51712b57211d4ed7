-- A progress report on a task the visitor asked to cancel now finishes the cancel itself (as
-- task_start already did for a task not yet started) and returns false: "stop". Before, the
-- worker had to follow up with task_cancel; a worker that simply stopped (the built-in runner
-- between steps, an n8n workflow that ends on false) left the task `processing` until the sweep
-- at its deadline — the Stop button took up to the whole timeout to take effect.

create or replace function public.task_progress(p_task_id uuid, p_attempt integer, p_status_message text)
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
