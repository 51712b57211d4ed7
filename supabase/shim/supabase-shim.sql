-- What a Supabase project provides and plain PostgreSQL / PGlite lack, so that
-- supabase/migrations/*.sql apply unchanged everywhere.
--
-- Idempotent, and "create only when missing": on a real Supabase database it changes
-- nothing (the roles, the auth schema functions and the publication already exist there).
-- Apply it before the migrations on plain PostgreSQL and PGlite; never needed on Supabase.

-- Roles (cluster-wide on PostgreSQL: several databases of one server share them, and two
-- databases may run this shim at the same moment, hence the duplicate handlers).
do $shim$
declare
  r record;
begin
  for r in
    select * from (values
      ('anon', false),
      ('authenticated', false),
      ('service_role', true),
      ('authenticator', false)
    ) as v(name, bypass)
  loop
    if not exists (select 1 from pg_roles where rolname = r.name) then
      begin
        execute format('create role %I nologin noinherit%s', r.name,
                       case when r.bypass then ' bypassrls' else '' end);
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$shim$;

-- authenticator switches to the API roles, as on Supabase.
do $shim$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if not pg_has_role('authenticator', r, 'member') then
      execute format('grant %I to authenticator', r);
    end if;
  end loop;
end
$shim$;

create schema if not exists auth;

-- Supabase's own definitions (supabase/auth migrations): the claims come from the
-- transaction settings PostgREST sets, `request.jwt.claims` (JSON) or the older
-- per-claim `request.jwt.claim.<name>`.
do $shim$
begin
  if to_regprocedure('auth.uid()') is null then
    execute $fn$
      create function auth.uid() returns uuid
      language sql stable
      as $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $body$
    $fn$;
  end if;

  if to_regprocedure('auth.role()') is null then
    execute $fn$
      create function auth.role() returns text
      language sql stable
      as $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim.role', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
        )::text
      $body$
    $fn$;
  end if;

  if to_regprocedure('auth.jwt()') is null then
    execute $fn$
      create function auth.jwt() returns jsonb
      language sql stable
      as $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')
        )::jsonb
      $body$
    $fn$;
  end if;
end
$shim$;

-- Supabase's grants: the API roles may use schemas auth and public (what they may do with each
-- table is granted, and narrowed by RLS, in the migrations). Only what is missing is granted,
-- so the shim also runs as a non-superuser on a database that already has all this (Supabase).
do $shim$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if not has_schema_privilege(r, 'auth', 'usage') then
      execute format('grant usage on schema auth to %I', r);
    end if;
    if not has_schema_privilege(r, 'public', 'usage') then
      execute format('grant usage on schema public to %I', r);
    end if;
    if not has_function_privilege(r, 'auth.uid()', 'execute')
       or not has_function_privilege(r, 'auth.role()', 'execute')
       or not has_function_privilege(r, 'auth.jwt()', 'execute') then
      execute format('grant execute on function auth.uid(), auth.role(), auth.jwt() to %I', r);
    end if;
  end loop;
end
$shim$;

-- The publication Supabase Realtime reads. PGlite has no logical replication: skip there.
do $shim$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    begin
      create publication supabase_realtime;
    exception when others then
      raise notice 'supabase shim: publication supabase_realtime not created (%): Realtime is unavailable on this engine', sqlerrm;
    end;
  end if;
exception when others then
  raise notice 'supabase shim: publications unsupported here (%)', sqlerrm;
end
$shim$;
