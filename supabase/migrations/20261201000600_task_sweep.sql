-- task_sweep: recovers attempts nobody is finishing. The server calls it every few seconds
-- (SWEEP_INTERVAL_MS), or pg_cron: select cron.schedule('task-sweep', '10 seconds',
-- 'select public.task_sweep()'). Each recovered attempt goes through the same failure path as a
-- worker's task_fail (20261201000500_worker_functions.sql): retried with backoff while attempts
-- remain, else failed; a cancel-requested task is cancelled instead.
--
--   timeout      a live attempt past its deadline_at
--   worker_lost  a live attempt held by a runner instance without a heartbeat for
--                p_lost_after_seconds, or by an instance that deregistered without releasing it
--                (20261201000300_runner_instances.sql). Measured on the database's clock from
--                the later of the last heartbeat and the database server's start
--                (pg_postmaster_start_time): nobody can heartbeat while the database is down, so
--                an outage of the database itself is never held against an instance
--   not_started  dispatched but not started within p_dispatch_grace_seconds (a lost webhook, a
--                worker that refused it, a crash between commit and dispatch)
--
-- Attempts claimed without an instance (n8n) are left to their deadline. Rows a worker holds
-- right now are skipped (SKIP LOCKED): that worker's call decides; so are the rows of a
-- conversation being written right now (its counter is locked, 20261201000100_change_feed.sql):
-- a later sweep takes them. The sweep never waits on anyone's write.
create function public.task_sweep(p_dispatch_grace_seconds integer default 30, p_lost_after_seconds integer default 30)
returns jsonb
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_task public.async_tasks;
  v_grace integer := greatest(coalesce(p_dispatch_grace_seconds, 30), 0);
  v_lost_after integer := greatest(coalesce(p_lost_after_seconds, 30), 1);
  v_timed_out integer := 0;
  v_redispatched integer := 0;
  v_lost integer := 0;
begin
  -- Live attempts past their deadline. Rows a worker holds right now are skipped: that
  -- worker's call decides, and a later sweep sees the outcome.
  for v_task in
    select * from public.async_tasks
     where status in ('pending', 'processing') and deadline_at < now()
       and (status = 'processing' or dispatched_at is not null)
       and (async_tasks.conversation_id is null or exists (
         select 1 from app_internal.conversation_seq s
          where s.conversation_id = async_tasks.conversation_id
          for update skip locked))
     order by deadline_at
     for update skip locked
  loop
    perform app_internal.apply_failure(
      v_task, 'timeout',
      format('attempt %s did not finish within %s seconds', v_task.attempt, v_task.timeout_seconds),
      true, null);
    v_timed_out := v_timed_out + 1;
  end loop;

  -- Live attempts claimed by a runner instance that stopped heartbeating (killed, machine
  -- gone) or shut down without releasing them: a failed attempt, retried with backoff while
  -- attempts remain. Its late task_complete / task_progress for that attempt return false.
  for v_task in
    select t.* from public.async_tasks t
      join app_internal.task_claims c on c.task_id = t.id and c.attempt = t.attempt
      left join app_internal.runner_instances i on i.id = c.instance_id
     where (t.status = 'processing' or (t.status = 'pending' and t.dispatched_at is not null))
       and (i.id is null
            or greatest(i.heartbeat_at, pg_postmaster_start_time()) < now() - make_interval(secs => v_lost_after))
       and (t.conversation_id is null or exists (
         select 1 from app_internal.conversation_seq s
          where s.conversation_id = t.conversation_id
          for update skip locked))
     order by t.dispatched_at
     for update of t skip locked
  loop
    perform app_internal.apply_failure(
      v_task, 'worker_lost',
      format('the runner working on attempt %s stopped responding (no heartbeat for %s seconds)',
             v_task.attempt, v_lost_after),
      true, null);
    v_lost := v_lost + 1;
  end loop;

  -- Dispatched but never started within the grace (lost webhook, a worker that refused it, a
  -- crash between commit and dispatch): a failed attempt — handed out again after backoff while
  -- attempts remain, else failed; a cancel request finishes as cancelled.
  for v_task in
    select * from public.async_tasks
     where status = 'pending' and dispatched_at is not null
       and dispatched_at < now() - make_interval(secs => v_grace)
       and (async_tasks.conversation_id is null or exists (
         select 1 from app_internal.conversation_seq s
          where s.conversation_id = async_tasks.conversation_id
          for update skip locked))
     for update skip locked
  loop
    if app_internal.apply_failure(
         v_task, 'not_started',
         format('the worker did not start attempt %s within %s seconds', v_task.attempt, v_grace),
         true, null) = 'pending' then
      v_redispatched := v_redispatched + 1;
    end if;
  end loop;

  -- Claim rows of attempts that ended. Deleted by (task, attempt) as read: a claim of a newer
  -- attempt written meanwhile does not match and stays.
  delete from app_internal.task_claims c
   where (c.task_id, c.attempt) in (
     select c2.task_id, c2.attempt from app_internal.task_claims c2
       join public.async_tasks t on t.id = c2.task_id
      where not (t.attempt = c2.attempt
                 and (t.status = 'processing' or (t.status = 'pending' and t.dispatched_at is not null))));

  -- Instances silent for an hour that hold no live attempt are long gone (one that comes back
  -- registers anew with its next heartbeat or claim).
  delete from app_internal.runner_instances i
   where i.heartbeat_at < now() - interval '1 hour'
     and not exists (select 1 from app_internal.task_claims c where c.instance_id = i.id);

  return jsonb_build_object('timed_out', v_timed_out, 'redispatched', v_redispatched, 'lost', v_lost);
end
$$;

revoke all on function public.task_sweep(integer, integer) from public, anon, authenticated, service_role;
grant execute on function public.task_sweep(integer, integer) to async_worker, service_role;
