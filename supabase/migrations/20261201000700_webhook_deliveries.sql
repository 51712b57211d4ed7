-- Replay protection for signed worker callbacks (POST /api/hooks/tasks/:id): each carries a
-- `webhook-id`, and a replayed id must be refused by every server instance, so the ids seen
-- within the tolerance window live here, not in one process's memory. Only the server
-- (service_role) records deliveries; the table has RLS on, no policies and no grants.

create table app_internal.webhook_deliveries (
  id text primary key constraint webhook_deliveries_id_length check (char_length(id) between 1 and 255),
  received_at timestamptz not null default now()
);
alter table app_internal.webhook_deliveries enable row level security;
revoke all on table app_internal.webhook_deliveries from public, anon, authenticated, service_role, async_worker;

-- True when the id is new (and records it); false when it was seen before. Rows older than
-- the retention are pruned now and then, so the table stays as small as the replay window.
create function public.webhook_delivery_record(p_id text, p_retention_seconds integer default 600)
returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_inserted integer;
begin
  if p_id is null or char_length(p_id) not between 1 and 255 then
    raise exception using errcode = '22023', message = 'webhook id must be 1 to 255 characters';
  end if;
  -- Prune on roughly one call in fifty: cheap on the hot path, bounded table size.
  if random() < 0.02 then
    delete from app_internal.webhook_deliveries
     where received_at < now() - make_interval(secs => greatest(p_retention_seconds, 60));
  end if;
  insert into app_internal.webhook_deliveries (id) values (p_id) on conflict (id) do nothing;
  get diagnostics v_inserted = row_count;
  return v_inserted = 1;
end
$$;

revoke all on function public.webhook_delivery_record(text, integer) from public, anon, authenticated, async_worker;
grant execute on function public.webhook_delivery_record(text, integer) to service_role;
