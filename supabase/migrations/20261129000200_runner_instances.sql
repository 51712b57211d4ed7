-- A lost runner instance is detected in seconds, not at its tasks' deadlines.
--
-- Before: a server process running the built-in runner that was SIGKILLed (or whose machine
-- died) left the tasks it had claimed `processing` until their deadline (120 s by default); as
-- replies in a conversation are made one at a time, every later message of those conversations
-- waited too. Now each runner process has an instance id, heartbeats
-- (`runner_heartbeat`), and claims with it (`task_claim(…, p_instance)`); `task_sweep` fails
-- the live attempts of an instance that stopped heartbeating as a retryable `worker_lost`.
--
-- Which instance holds which attempt lives in app_internal.task_claims, not in a column of
-- public.async_tasks: visitors SELECT every column of their own tasks (PostgREST, and
-- create_task / request_task_cancel / send_chat_message return the row), and the table is in
-- the supabase_realtime publication, so a column there would show visitors the id of the
-- process working for them. It also keeps async_tasks' version/seq/NOTIFY untouched: a claim
-- row or a heartbeat fires no trigger and sends no app_events notification.
--
-- Claims without an instance (the n8n dispatcher: n8n holds those tasks, not this process)
-- record nothing; their deadline governs, as before.
--
-- "Not heartbeated for p_lost_after_seconds" is measured on the database's own clock and from
-- the later of the last heartbeat and the database server's start (pg_postmaster_start_time):
-- while the database is down (restart, crash recovery) nobody can heartbeat, so an instance is
-- not counted lost for an outage of the database itself, however long.
--
-- task_claim and task_sweep gain a trailing parameter with a default. The old signatures are
-- dropped rather than overloaded (a call with the old arguments would be ambiguous, in SQL and
-- for PostgREST's RPC); every existing call shape works unchanged; same grants.

create table app_internal.runner_instances (
  id uuid primary key,
  heartbeat_at timestamptz not null default now(),
  started_at timestamptz not null default now()
);
alter table app_internal.runner_instances enable row level security;
revoke all on table app_internal.runner_instances from public, anon, authenticated, service_role, async_worker;

create table app_internal.task_claims (
  task_id uuid primary key references public.async_tasks (id) on delete cascade,
  attempt integer not null,
  instance_id uuid not null
);
create index task_claims_instance_idx on app_internal.task_claims (instance_id);
alter table app_internal.task_claims enable row level security;
revoke all on table app_internal.task_claims from public, anon, authenticated, service_role, async_worker;

-- The instance is alive: records heartbeat_at = now() (a new instance gets a row).
create function public.runner_heartbeat(p_instance uuid) returns void
language plpgsql volatile
security definer
set search_path = ''
as $$
begin
  if p_instance is null then
    raise exception using errcode = '22023', message = 'runner instance id is required';
  end if;
  insert into app_internal.runner_instances (id) values (p_instance)
  on conflict (id) do update set heartbeat_at = now();
end
$$;

-- A graceful shutdown: the instance is gone (after releasing its tasks). A task it still held
-- (a release that failed) counts as lost at the next sweep.
create function public.runner_stopped(p_instance uuid) returns boolean
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_deleted integer;
begin
  delete from app_internal.runner_instances where id = p_instance;
  get diagnostics v_deleted = row_count;
  return v_deleted = 1;
end
$$;

drop function public.task_claim(integer, text[]);

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
     order by t.next_attempt_at, t.created_at
     limit least(greatest(coalesce(p_limit, 1), 0), 1000)
     for update skip locked
  ),
  claimed as (
    update public.async_tasks t
       set attempt = t.attempt + 1,
           dispatched_at = now(),
           deadline_at = now() + make_interval(secs => t.timeout_seconds),
           execution_id = null
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

drop function public.task_sweep(integer);

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

revoke all on function
  public.runner_heartbeat(uuid),
  public.runner_stopped(uuid),
  public.task_claim(integer, text[], uuid),
  public.task_sweep(integer, integer)
  from public, anon, authenticated, service_role;
grant execute on function
  public.runner_heartbeat(uuid),
  public.runner_stopped(uuid),
  public.task_claim(integer, text[], uuid),
  public.task_sweep(integer, integer)
  to async_worker, service_role;
