-- Refresh-token families: rotation, the grace that answers two tabs the same pair, reuse
-- detection revoking the whole family, and who may call what.
begin;
\ir helpers/setup.psql
select plan(21);

select ok((select relrowsecurity from pg_class where oid = 'app_internal.refresh_families'::regclass), 'RLS on refresh_families');
select is((select count(*)::int from information_schema.role_table_grants
            where table_schema = 'app_internal' and table_name = 'refresh_families'
              and grantee in ('anon', 'authenticated', 'service_role', 'async_worker', 'PUBLIC')),
  0, 'no API role has any privilege on refresh_families');
select ok(has_function_privilege('service_role', 'public.refresh_family_rotate(uuid,uuid,uuid,uuid,bigint,timestamptz,integer)', 'execute'),
  'service_role may rotate');
select ok(not has_function_privilege('authenticated', 'public.refresh_family_rotate(uuid,uuid,uuid,uuid,bigint,timestamptz,integer)', 'execute'),
  'visitors may not rotate (their own tokens or anyone''s)');
select ok(not has_function_privilege('anon', 'public.refresh_family_start(uuid,uuid,uuid,bigint,timestamptz)', 'execute'), 'anon may not start a family');
select ok(not has_function_privilege('async_worker', 'public.refresh_family_start(uuid,uuid,uuid,bigint,timestamptz)', 'execute'),
  'the worker may not start a family');

\set fam '''f0000000-0000-4000-8000-000000000001'''
\set usr '''aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'''
\set t0 '''00000000-0000-4000-8000-0000000000a0'''
\set t1 '''00000000-0000-4000-8000-0000000000a1'''
\set t1b '''00000000-0000-4000-8000-0000000000b1'''
\set t2 '''00000000-0000-4000-8000-0000000000a2'''

select tests.authenticate_as_service_role();
select public.refresh_family_start(:fam, :usr, :t0, 1000, now() + interval '30 days');

select is(public.refresh_family_rotate(:fam, :usr, :t0, :t1, 2000, now() + interval '30 days'),
  jsonb_build_object('outcome', 'rotated', 'token', :t1::uuid, 'issued_at', 2000), 'the current token rotates to the next one');
-- The second tab, a moment later, with the same (now retired) token and its own next token.
select is(public.refresh_family_rotate(:fam, :usr, :t0, :t1b, 2001, now() + interval '30 days'),
  jsonb_build_object('outcome', 'repeated', 'token', :t1::uuid, 'issued_at', 2000),
  'within the grace the retired token answers the same pair (token and issue time), not a new one');
select is(public.refresh_family_rotate(:fam, :usr, :t1, :t2, 3000, now() + interval '30 days') ->> 'outcome', 'rotated',
  'the family lives on: the shared new token rotates');
select is(public.refresh_family_rotate(:fam, :usr, :t1b, :t2, 3001, now() + interval '30 days') ->> 'outcome', 'reused',
  'a token the family never had is a forgery or a copy: reused');
select is(public.refresh_family_rotate(:fam, :usr, :t2, :t0, 4000, now() + interval '30 days') ->> 'outcome', 'refused',
  'after a reuse, even the current token of the family is refused');
select tests.clear_auth();
select ok((select revoked_at is not null from app_internal.refresh_families where id = :fam), 'the family is revoked');

-- A retired token after the grace: reuse, the family is revoked.
\set fam2 '''f0000000-0000-4000-8000-000000000002'''
select tests.authenticate_as_service_role();
select public.refresh_family_start(:fam2, :usr, :t0, 1000, now() + interval '30 days');
select is(public.refresh_family_rotate(:fam2, :usr, :t0, :t1, 2000, now() + interval '30 days') ->> 'outcome', 'rotated', 'rotate fam2');
select tests.clear_auth();
update app_internal.refresh_families set rotated_at = now() - interval '11 seconds' where id = :fam2;
select tests.authenticate_as_service_role();
select is(public.refresh_family_rotate(:fam2, :usr, :t0, :t2, 2100, now() + interval '30 days') ->> 'outcome', 'reused',
  'the retired token 11 s after the rotation (grace 10 s) is reuse');
select is(public.refresh_family_rotate(:fam2, :usr, :t1, :t2, 2101, now() + interval '30 days') ->> 'outcome', 'refused',
  'and the visitor''s current token dies with the family');

-- Other refusals.
\set fam3 '''f0000000-0000-4000-8000-000000000003'''
select public.refresh_family_start(:fam3, :usr, :t0, 1000, now() + interval '30 days');
select is(public.refresh_family_rotate(:fam3, 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', :t0, :t1, 2000, now() + interval '30 days') ->> 'outcome',
  'refused', 'another user''s family is refused');
select is(public.refresh_family_rotate('f0000000-0000-4000-8000-0000000000ff', :usr, :t0, :t1, 2000, now() + interval '30 days') ->> 'outcome',
  'refused', 'an unknown family is refused');
select is(public.refresh_family_rotate(:fam3, :usr, :t0, :t1, 2000, now() + interval '30 days') ->> 'outcome', 'rotated',
  'a refusal for another user did not revoke the family');
select tests.clear_auth();
update app_internal.refresh_families set expires_at = now() - interval '1 second' where id = :fam3;
select tests.authenticate_as_service_role();
select is(public.refresh_family_rotate(:fam3, :usr, :t1, :t2, 3000, now() + interval '30 days') ->> 'outcome', 'refused',
  'an expired family is refused');
select throws_ok(format('select public.refresh_family_start(null, %L, %L, 1, now())', :usr, :t0), '22023', null, 'a family needs an id');
select tests.clear_auth();

select tests.authenticate_as(:usr);
select throws_ok('select * from app_internal.refresh_families', '42501', null, 'a visitor cannot read the families');
select tests.clear_auth();

select * from finish();
rollback;
