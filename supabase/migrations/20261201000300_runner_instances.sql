-- Runner instances: which built-in runner process is alive, and which attempt each one holds,
-- so the sweep (20261201000600_task_sweep.sql) retries the tasks of a killed process within
-- seconds instead of at their deadlines (while a reply is in flight, the later messages of its
-- conversation wait).
--
-- Each runner process has a random instance id, heartbeats (`runner_heartbeat`), claims with it
-- (`task_claim(…, p_instance)`, 20261201000500_worker_functions.sql) and deregisters on a
-- graceful shutdown (`runner_stopped`). Claims without an instance (n8n's dispatcher: n8n holds
-- those tasks, not this process) record nothing; their deadline governs.
--
-- Which instance holds which attempt lives in app_internal.task_claims, not in a column of
-- public.async_tasks: visitors SELECT every column of their own tasks (PostgREST, and
-- create_task / request_task_cancel / send_chat_message return the row), and the table is in
-- the supabase_realtime publication, so a column there would show visitors the id of the
-- process working for them. It also keeps async_tasks' version/seq/NOTIFY untouched: a claim
-- row or a heartbeat fires no trigger and sends no app_events notification.
--
-- Both tables: RLS on, no policies, no grants; only the SECURITY DEFINER functions touch them.

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

revoke all on function public.runner_heartbeat(uuid) from public, anon, authenticated, service_role;
grant execute on function public.runner_heartbeat(uuid) to async_worker, service_role;

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

revoke all on function public.runner_stopped(uuid) from public, anon, authenticated, service_role;
grant execute on function public.runner_stopped(uuid) to async_worker, service_role;
