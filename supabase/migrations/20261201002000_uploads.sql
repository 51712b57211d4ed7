-- Files a visitor attaches to their messages: public.uploads (one row per file, its owner the
-- visitor) and, when the deployment keeps files in the database, public.upload_contents (the
-- bytes). A bucket deployment keeps the bytes in the bucket under storage_key and queues the key
-- for deletion when the row goes (app_internal.upload_object_deletions), whoever deletes it: a
-- deleted conversation cascades to its messages and their uploads.
--
-- Only the server makes an upload (create_upload, service_role): it has checked the content
-- (type from the bytes, metadata stripped, limits) before it calls. A visitor reads their own
-- rows (RLS) and attaches their own unattached uploads to their own message (attach_uploads).
-- An upload never attached expires (expires_at) and upload_sweep deletes it.

create table public.uploads (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null,
  -- Shown to people only (the download's name); never part of a path or a key.
  filename text not null,
  -- Decided from the content by the server, never from the name or a header.
  media_type text not null,
  byte_size integer not null,
  width integer null,
  height integer null,
  storage text not null,
  storage_key text null,
  -- The text of a text or PDF file, bounded, for the model's prompt.
  text_content text null,
  conversation_id uuid null,
  message_id uuid null references public.chat_messages (id) on delete cascade,
  expires_at timestamptz null,
  created_at timestamptz not null default now(),
  constraint uploads_filename_1_to_200_chars check (char_length(filename) between 1 and 200),
  constraint uploads_filename_not_a_path check (filename !~ '[/\\[:cntrl:]]'),
  constraint uploads_media_type_format check (media_type ~ '^[a-z]+/[a-z0-9.+-]{1,100}$'),
  constraint uploads_byte_size_positive check (byte_size > 0),
  constraint uploads_storage_valid check (storage in ('database', 's3')),
  constraint uploads_bucket_has_key check (storage <> 's3' or storage_key is not null),
  constraint uploads_text_content_max_100000_chars check (char_length(text_content) <= 100000),
  constraint uploads_attached_or_expiring check ((message_id is null) = (expires_at is not null)),
  constraint uploads_conversation_belongs_to_owner
    foreign key (conversation_id, owner_id) references public.conversations (id, owner_id)
    on delete cascade on update cascade
);
create index uploads_message_idx on public.uploads (message_id) where message_id is not null;
create index uploads_expires_idx on public.uploads (expires_at) where expires_at is not null;
create index uploads_owner_created_idx on public.uploads (owner_id, created_at desc);

create table public.upload_contents (
  upload_id uuid primary key references public.uploads (id) on delete cascade,
  owner_id uuid not null,
  content bytea not null
);

-- Bucket objects whose row is gone, until the server has deleted them from the bucket.
create table app_internal.upload_object_deletions (
  storage_key text primary key,
  queued_at timestamptz not null default now()
);
alter table app_internal.upload_object_deletions enable row level security;
revoke all on table app_internal.upload_object_deletions from public, anon, authenticated, service_role, async_worker;

-- Bytes uploaded per owner and day (UTC): the daily limit counts what was uploaded, also files
-- that were deleted or expired since.
create table app_internal.upload_daily_usage (
  owner_id uuid not null,
  day date not null,
  bytes bigint not null,
  primary key (owner_id, day)
);
alter table app_internal.upload_daily_usage enable row level security;
revoke all on table app_internal.upload_daily_usage from public, anon, authenticated, service_role, async_worker;

revoke all on table public.uploads, public.upload_contents from public, anon, authenticated, service_role, async_worker;
grant all on table public.uploads, public.upload_contents to service_role;
grant select on table public.uploads, public.upload_contents to authenticated, async_worker;

alter table public.uploads enable row level security;
alter table public.upload_contents enable row level security;

create policy uploads_select_own on public.uploads
  for select to authenticated using (owner_id = (select auth.uid()));
create policy uploads_select_worker on public.uploads
  for select to async_worker using (true);
create policy upload_contents_select_own on public.upload_contents
  for select to authenticated using (owner_id = (select auth.uid()));
create policy upload_contents_select_worker on public.upload_contents
  for select to async_worker using (true);

create function app_internal.queue_upload_object_deletion() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if old.storage = 's3' then
    insert into app_internal.upload_object_deletions (storage_key) values (old.storage_key)
    on conflict (storage_key) do nothing;
  end if;
  return old;
end
$$;
revoke all on function app_internal.queue_upload_object_deletion() from public;

create trigger uploads_queue_object_deletion after delete on public.uploads
  for each row execute function app_internal.queue_upload_object_deletion();

-- A checked file of p_owner. Counts p_byte_size against the owner's day; over
-- p_max_bytes_per_day (0 = no limit) nothing is stored and the answer is null.
create function public.create_upload(
  p_owner uuid,
  p_filename text,
  p_media_type text,
  p_byte_size integer,
  p_width integer,
  p_height integer,
  p_storage text,
  p_storage_key text,
  p_text_content text,
  p_content bytea,
  p_ttl_seconds integer,
  p_max_bytes_per_day bigint
) returns public.uploads
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_day date := (now() at time zone 'utc')::date;
  v_used bigint;
  v_upload public.uploads;
begin
  if p_owner is null then
    raise exception using errcode = '22023', message = 'an upload needs an owner';
  end if;
  if p_ttl_seconds is null or p_ttl_seconds not between 1 and 604800 then
    raise exception using errcode = '22023', message = 'the time to live of an unattached upload must be 1 to 604800 seconds';
  end if;
  if (p_storage = 'database') <> (p_content is not null) then
    raise exception using errcode = '22023', message = 'the bytes are stored in the database exactly when the storage is database';
  end if;
  -- One owner's uploads are counted one at a time, whichever instance takes them.
  perform pg_advisory_xact_lock(hashtextextended('upload-usage/' || p_owner::text, 0));
  select bytes into v_used from app_internal.upload_daily_usage where owner_id = p_owner and day = v_day;
  if coalesce(p_max_bytes_per_day, 0) > 0 and coalesce(v_used, 0) + p_byte_size > p_max_bytes_per_day then
    return null;
  end if;
  insert into app_internal.upload_daily_usage (owner_id, day, bytes) values (p_owner, v_day, p_byte_size)
  on conflict (owner_id, day) do update set bytes = app_internal.upload_daily_usage.bytes + excluded.bytes;

  insert into public.uploads (owner_id, filename, media_type, byte_size, width, height, storage, storage_key, text_content, expires_at)
  values (p_owner, p_filename, p_media_type, p_byte_size, p_width, p_height, p_storage, p_storage_key, p_text_content,
          now() + make_interval(secs => p_ttl_seconds))
  returning * into v_upload;
  if p_content is not null then
    insert into public.upload_contents (upload_id, owner_id, content) values (v_upload.id, p_owner, p_content);
  end if;
  return v_upload;
end
$$;

revoke all on function public.create_upload(uuid, text, text, integer, integer, integer, text, text, text, bytea, integer, bigint)
  from public, anon, authenticated, async_worker;
grant execute on function public.create_upload(uuid, text, text, integer, integer, integer, text, text, text, bytea, integer, bigint)
  to service_role;

-- The caller's own uploads onto the caller's own user message: each must be unattached or
-- already on this message (a repeated send attaches nothing twice). At most p_max_files
-- (capped at 20) on one message. Unknown or someone else's → P0002, as for a task.
create function public.attach_uploads(p_message_id uuid, p_upload_ids uuid[], p_max_files integer default 10)
returns setof public.uploads
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
  v_message public.chat_messages;
  v_ids uuid[] := coalesce(p_upload_ids, '{}');
  v_found integer;
begin
  select * into v_message from public.chat_messages
   where id = p_message_id and owner_id = v_uid and role = 'user';
  if not found then
    raise exception using errcode = 'P0002', message = 'message not found';
  end if;
  if cardinality(v_ids) <> (select count(distinct i) from unnest(v_ids) i) then
    raise exception using errcode = '22023', message = 'an upload is named twice';
  end if;
  if cardinality(v_ids) > least(greatest(coalesce(p_max_files, 10), 0), 20) then
    raise exception using errcode = '22023',
      message = format('at most %s files on one message', least(greatest(coalesce(p_max_files, 10), 0), 20));
  end if;
  perform 1 from public.uploads where id = any(v_ids) and owner_id = v_uid for update;
  select count(*) into v_found from public.uploads where id = any(v_ids) and owner_id = v_uid;
  if v_found <> cardinality(v_ids) then
    raise exception using errcode = 'P0002', message = 'upload not found';
  end if;
  if exists (select 1 from public.uploads where id = any(v_ids) and message_id is not null and message_id <> p_message_id) then
    raise exception using errcode = '22023', message = 'an upload is already attached to another message';
  end if;
  if (select count(*) from public.uploads where message_id = p_message_id and not (id = any(v_ids))) > 0 then
    raise exception using errcode = '22023', message = 'the message already has other attachments';
  end if;
  update public.uploads
     set message_id = p_message_id, conversation_id = v_message.conversation_id, expires_at = null
   where id = any(v_ids) and message_id is null;
  return query select * from public.uploads where message_id = p_message_id order by created_at, id;
end
$$;

revoke all on function public.attach_uploads(uuid, uuid[], integer) from public, anon, authenticated, service_role, async_worker;
grant execute on function public.attach_uploads(uuid, uuid[], integer) to authenticated, service_role;

-- Deletes uploads never attached whose time ran out (their bucket objects are queued), and
-- usage counts older than yesterday. Any scheduler may call it, concurrently too.
create function public.upload_sweep(p_limit integer default 500) returns integer
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_deleted integer;
begin
  with due as (
    select id from public.uploads
     where expires_at is not null and expires_at < now()
     order by expires_at
     limit least(greatest(coalesce(p_limit, 500), 1), 10000)
     for update skip locked
  )
  delete from public.uploads u using due where u.id = due.id;
  get diagnostics v_deleted = row_count;
  delete from app_internal.upload_daily_usage where day < (now() at time zone 'utc')::date - 1;
  return v_deleted;
end
$$;

revoke all on function public.upload_sweep(integer) from public, anon, authenticated;
grant execute on function public.upload_sweep(integer) to async_worker, service_role;

-- The bucket objects to delete, oldest first; the server deletes them, then forgets them.
create function public.upload_objects_to_delete(p_limit integer default 100) returns setof text
language sql stable security definer
set search_path = ''
as $$
  select storage_key from app_internal.upload_object_deletions
   order by queued_at limit least(greatest(coalesce(p_limit, 100), 1), 1000)
$$;

create function public.upload_objects_deleted(p_keys text[]) returns integer
language sql volatile security definer
set search_path = ''
as $$
  with gone as (delete from app_internal.upload_object_deletions where storage_key = any(p_keys) returning 1)
  select count(*)::integer from gone
$$;

revoke all on function public.upload_objects_to_delete(integer), public.upload_objects_deleted(text[])
  from public, anon, authenticated, async_worker;
grant execute on function public.upload_objects_to_delete(integer), public.upload_objects_deleted(text[]) to service_role;

comment on table public.uploads is
  'A visitor''s file. Made only by create_upload (the server checked the content); attached by attach_uploads; unattached ones expire (upload_sweep).';
comment on table public.upload_contents is 'The bytes of an upload kept in the database (storage = database).';
