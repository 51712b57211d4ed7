-- Request limits shared by every server instance: the rate-limit counters and the open SSE
-- stream slots live here, not in one process's memory, so N instances on one database allow
-- what one instance allows (counters in memory would allow N times the limit). Only the server
-- (service_role) calls these functions; the tables have RLS on, no policies and no grants.
--
-- Errors: 22023 invalid_parameter_value for a malformed call (the server never makes one).

-- One row per counted key (e.g. 'send-ip:203.0.113.7'): the hits of its current window.
create table app_internal.rate_limit_counters (
  key text primary key constraint rate_limit_counters_key_length check (char_length(key) between 1 and 300),
  hits bigint not null,
  window_ends_at timestamptz not null
);
create index rate_limit_counters_window_ends_at on app_internal.rate_limit_counters (window_ends_at);
alter table app_internal.rate_limit_counters enable row level security;
revoke all on table app_internal.rate_limit_counters from public, anon, authenticated, service_role, async_worker;

-- Counts one request against each key's fixed window (p_window_seconds long, from the key's
-- first hit; p_costs[i] hits each, default 1) and answers the seconds until the last
-- over-limit window ends, or null when every key is within its limit (p_limits[i]). Refused
-- requests count too: they cannot extend a window, which ends when it ends. One call per
-- request, whatever its number of keys; keys are counted in sorted order, so two calls never
-- wait on each other in a circle. Each call also deletes a few windows that have ended
-- (skipping rows another call holds), so the table stays about as large as the keys of the
-- last window. p_now is the moment to count at (tests); null = the database clock, the one
-- clock every instance shares.
create function public.rate_limit_hit(
  p_keys text[],
  p_limits integer[],
  p_window_seconds integer default 60,
  p_costs integer[] default null,
  p_now timestamptz default null
) returns integer
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(p_now, now());
  v_count integer := coalesce(array_length(p_keys, 1), 0);
  v_wait integer;
  v_hits bigint;
  v_ends_at timestamptz;
  r record;
begin
  if v_count = 0 or v_count > 20 or coalesce(array_length(p_limits, 1), 0) <> v_count
     or (p_costs is not null and coalesce(array_length(p_costs, 1), 0) <> v_count) then
    raise exception using errcode = '22023', message = 'rate_limit_hit needs 1 to 20 keys, one limit (and cost) per key';
  end if;
  if p_window_seconds is null or p_window_seconds not between 1 and 86400 then
    raise exception using errcode = '22023', message = 'the window must be 1 to 86400 seconds';
  end if;

  for r in
    select u.key, u.lim, coalesce(u.cost, 1) as cost
      from unnest(p_keys, p_limits, coalesce(p_costs, array_fill(1, array[v_count]))) as u(key, lim, cost)
     order by u.key
  loop
    if r.key is null or r.key = '' or r.lim is null or r.lim < 1 or r.cost < 0 then
      raise exception using errcode = '22023', message = 'each key needs a limit of at least 1 and a cost of at least 0';
    end if;
    insert into app_internal.rate_limit_counters as c (key, hits, window_ends_at)
    values (left(r.key, 300), r.cost, v_now + make_interval(secs => p_window_seconds))
    on conflict (key) do update
      set hits = case when c.window_ends_at <= v_now then excluded.hits else c.hits + excluded.hits end,
          window_ends_at = case when c.window_ends_at <= v_now then excluded.window_ends_at else c.window_ends_at end
    returning c.hits, c.window_ends_at into v_hits, v_ends_at;
    if v_hits > r.lim then
      v_wait := greatest(coalesce(v_wait, 1), ceil(extract(epoch from (v_ends_at - v_now)))::integer);
    end if;
  end loop;

  delete from app_internal.rate_limit_counters
   where key in (
     select e.key from app_internal.rate_limit_counters e
      where e.window_ends_at <= v_now
      order by e.window_ends_at
      limit 10
        for update skip locked
   );
  return v_wait;
end
$$;

revoke all on function public.rate_limit_hit(text[], integer[], integer, integer[], timestamptz) from public, anon, authenticated, async_worker;
grant execute on function public.rate_limit_hit(text[], integer[], integer, integer[], timestamptz) to service_role;

-- One row per open SSE stream, held by the instance serving it. A slot is a lease: the instance
-- renews its slots while their streams are open (stream_slots_renew) and releases each when its
-- stream closes; the slots of an instance that died expire with their lease, so a crash frees
-- them within one lease instead of never.
create table app_internal.stream_slots (
  id uuid primary key,
  instance_id uuid not null,
  visitor text not null constraint stream_slots_visitor_length check (char_length(visitor) between 1 and 300),
  ip text not null constraint stream_slots_ip_length check (char_length(ip) between 1 and 300),
  expires_at timestamptz not null
);
create index stream_slots_visitor on app_internal.stream_slots (visitor);
create index stream_slots_ip on app_internal.stream_slots (ip);
create index stream_slots_instance on app_internal.stream_slots (instance_id);
create index stream_slots_expires_at on app_internal.stream_slots (expires_at);
alter table app_internal.stream_slots enable row level security;
revoke all on table app_internal.stream_slots from public, anon, authenticated, service_role, async_worker;

-- Takes slot p_slot for a stream of p_visitor from p_ip unless the visitor already holds
-- p_max_per_visitor live slots or the IP p_max_per_ip (0 = no cap): null when taken, else
-- 'visitor' or 'ip', the cap that is full. Takers of one visitor or one IP are serialised by
-- transaction advisory locks (the visitor's first, always), so concurrent opens on any number
-- of instances never pass a cap. Expired slots of that visitor and IP are deleted first.
create function public.stream_slot_take(
  p_slot uuid,
  p_instance uuid,
  p_visitor text,
  p_ip text,
  p_max_per_visitor integer,
  p_max_per_ip integer,
  p_lease_seconds integer default 60
) returns text
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  if p_slot is null or p_instance is null or p_visitor is null or p_ip is null then
    raise exception using errcode = '22023', message = 'stream_slot_take needs a slot, an instance, a visitor and an IP';
  end if;
  if p_lease_seconds is null or p_lease_seconds not between 1 and 86400 then
    raise exception using errcode = '22023', message = 'the lease must be 1 to 86400 seconds';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('stream-slot/visitor/' || p_visitor, 0));
  perform pg_advisory_xact_lock(hashtextextended('stream-slot/ip/' || p_ip, 0));
  delete from app_internal.stream_slots where (visitor = p_visitor or ip = p_ip) and expires_at <= now();
  if coalesce(p_max_per_visitor, 0) > 0
     and (select count(*) from app_internal.stream_slots where visitor = p_visitor) >= p_max_per_visitor then
    return 'visitor';
  end if;
  if coalesce(p_max_per_ip, 0) > 0
     and (select count(*) from app_internal.stream_slots where ip = p_ip) >= p_max_per_ip then
    return 'ip';
  end if;
  insert into app_internal.stream_slots (id, instance_id, visitor, ip, expires_at)
  values (p_slot, p_instance, left(p_visitor, 300), left(p_ip, 300), now() + make_interval(secs => p_lease_seconds))
  on conflict (id) do update set expires_at = excluded.expires_at;
  return null;
end
$$;

-- The stream closed: its slot is free. False when it was not held (expired, released before).
create function public.stream_slot_release(p_slot uuid) returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_deleted integer;
begin
  delete from app_internal.stream_slots where id = p_slot;
  get diagnostics v_deleted = row_count;
  return v_deleted = 1;
end
$$;

-- The instance is alive and its streams open: every live slot it holds lives another lease
-- (one that expired is gone: the instance was silent too long, and its count may already have
-- been given to another stream). Answers how many it renewed. Also deletes a batch of expired slots of any instance (those of instances
-- that died), skipping rows another call holds.
create function public.stream_slots_renew(p_instance uuid, p_lease_seconds integer default 60) returns integer
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_renewed integer;
begin
  if p_instance is null or p_lease_seconds is null or p_lease_seconds not between 1 and 86400 then
    raise exception using errcode = '22023', message = 'stream_slots_renew needs an instance and a lease of 1 to 86400 seconds';
  end if;
  update app_internal.stream_slots set expires_at = now() + make_interval(secs => p_lease_seconds)
   where instance_id = p_instance and expires_at > now();
  get diagnostics v_renewed = row_count;
  delete from app_internal.stream_slots
   where id in (
     select e.id from app_internal.stream_slots e
      where e.expires_at <= now()
      order by e.expires_at
      limit 1000
        for update skip locked
   );
  return v_renewed;
end
$$;

revoke all on function public.stream_slot_take(uuid, uuid, text, text, integer, integer, integer),
  public.stream_slot_release(uuid), public.stream_slots_renew(uuid, integer) from public, anon, authenticated, async_worker;
grant execute on function public.stream_slot_take(uuid, uuid, text, text, integer, integer, integer),
  public.stream_slot_release(uuid), public.stream_slots_renew(uuid, integer) to service_role;
