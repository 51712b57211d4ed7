-- Structure and hardening: the tables, RLS switched on, functions hardened (SECURITY DEFINER,
-- search_path), roles, EXECUTE grants, the Realtime publication; and the named check
-- constraints a direct write meets (23514 naming the rule; 22001 for an over-long varchar).
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(46);

select has_table('public', 'conversations', 'conversations exists');
select has_table('public', 'async_tasks', 'async_tasks exists');
select has_table('public', 'chat_messages', 'chat_messages exists');
select has_table('app_internal', 'conversation_seq', 'conversation_seq (one seq counter per conversation) exists');

select ok((select relrowsecurity from pg_class where oid = 'public.conversations'::regclass), 'RLS on conversations');
select ok((select relrowsecurity from pg_class where oid = 'public.async_tasks'::regclass), 'RLS on async_tasks');
select ok((select relrowsecurity from pg_class where oid = 'public.chat_messages'::regclass), 'RLS on chat_messages');
select is(
  (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity),
  0, 'every table in public has RLS on');

select col_type_is('public', 'async_tasks', 'execution_id', 'character varying(255)', 'execution_id is varchar(255)');
select col_type_is('public', 'async_tasks', 'version', 'bigint', 'version is bigint');
select col_type_is('public', 'async_tasks', 'seq', 'bigint', 'async_tasks.seq is bigint');
select col_type_is('public', 'chat_messages', 'seq', 'bigint', 'chat_messages.seq is bigint');
select col_default_is('public', 'async_tasks', 'owner_id', 'auth.uid()', 'async_tasks.owner_id defaults to auth.uid()');
select col_default_is('public', 'conversations', 'owner_id', 'auth.uid()', 'conversations.owner_id defaults to auth.uid()');
select col_default_is('public', 'chat_messages', 'owner_id', 'auth.uid()', 'chat_messages.owner_id defaults to auth.uid()');
select col_is_null('public', 'chat_messages', 'async_task_id', 'a message may have no task');

select has_index('public', 'chat_messages', 'chat_messages_one_assistant_per_task', 'unique partial index: one assistant message per task');
select ok((select indisunique from pg_index where indexrelid = 'public.chat_messages_one_assistant_per_task'::regclass), 'that index is unique');
select has_check('public', 'chat_messages', 'chat_messages has check constraints');
select ok(exists (select 1 from pg_constraint where conname = 'chat_messages_content_1_to_16000_chars'), 'content limit constraint is named after the limit');
select ok(exists (select 1 from pg_constraint where conname = 'async_tasks_input_max_64kb'), 'input limit constraint is named after the limit');
select ok(exists (select 1 from pg_constraint where conname = 'async_tasks_owner_idempotency_key_unique'), 'idempotency key unique per owner');

-- Every function of ours (not pgTAP's) in public: SECURITY DEFINER (except the pure
-- task_backoff), and every one of ours sets search_path.
select is(
  (select array_agg(p.proname order by p.proname) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname <> 'task_backoff' and not p.prosecdef
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')),
  null, 'every public function but task_backoff is SECURITY DEFINER');
select is(
  (select array_agg(p.proname order by p.proname) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'app_internal')
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
      and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')),
  null, 'every function sets search_path');

select has_role('anon', 'role anon exists');
select has_role('authenticated', 'role authenticated exists');
select has_role('service_role', 'role service_role exists');
select has_role('authenticator', 'role authenticator exists');
select has_role('async_worker', 'role async_worker exists');
select ok((select rolbypassrls from pg_roles where rolname = 'service_role'), 'service_role bypasses RLS');
select ok(not (select rolcanlogin from pg_roles where rolname = 'async_worker'), 'async_worker cannot log in');
select ok(not (select rolbypassrls from pg_roles where rolname = 'async_worker'), 'async_worker does not bypass RLS');

-- Function privileges: visitor functions for authenticated + service_role; worker functions
-- for async_worker + service_role; nothing for anon.
select ok(has_function_privilege('authenticated', 'public.send_chat_message(uuid,text,text,integer,jsonb)', 'execute'), 'authenticated may send');
select ok(not has_function_privilege('anon', 'public.send_chat_message(uuid,text,text,integer,jsonb)', 'execute'), 'anon may not send');
select ok(not has_function_privilege('async_worker', 'public.send_chat_message(uuid,text,text,integer,jsonb)', 'execute'), 'worker may not send');
select ok(not has_function_privilege('authenticated', 'public.task_complete(uuid,integer,jsonb)', 'execute'), 'authenticated may not complete tasks');
select ok(not has_function_privilege('anon', 'public.task_claim(integer,text[],uuid)', 'execute'), 'anon may not claim');
select ok(has_function_privilege('async_worker', 'public.task_complete(uuid,integer,jsonb)', 'execute'), 'worker may complete');
select ok(has_function_privilege('service_role', 'public.task_sweep(integer,integer)', 'execute'), 'service_role may sweep');

select ok(
  not exists (select 1 from pg_publication where pubname = 'supabase_realtime')
  or (select count(*) from pg_publication_tables where pubname = 'supabase_realtime'
        and schemaname = 'public' and tablename in ('async_tasks', 'chat_messages')) = 2,
  'async_tasks and chat_messages are in supabase_realtime (when the publication exists)');

-- Direct writes meet the named check constraints.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok(format($$insert into public.chat_messages (conversation_id, role, content) values ('a0000000-0000-4000-8000-00000000000a', 'user', %L)$$, repeat('x', 16001)),
  '23514', 'new row for relation "chat_messages" violates check constraint "chat_messages_content_1_to_16000_chars"',
  'a direct over-long message → 23514 naming the limit');
select throws_ok($$insert into public.chat_messages (conversation_id, role, content) values ('a0000000-0000-4000-8000-00000000000a', 'user', '')$$,
  '23514', 'new row for relation "chat_messages" violates check constraint "chat_messages_content_1_to_16000_chars"',
  'a direct empty message → 23514');
select throws_ok(format($$insert into public.async_tasks (kind, input) values ('demo.big', %L::jsonb)$$, jsonb_build_object('s', repeat('x', 70000))),
  '23514', 'new row for relation "async_tasks" violates check constraint "async_tasks_input_max_64kb"',
  'a direct over-large input → 23514 naming the limit');
select tests.clear_auth();

select throws_ok($$update public.async_tasks set status = 'done' where idempotency_key = 'fixture-a'$$,
  '23514', 'new row for relation "async_tasks" violates check constraint "async_tasks_status_valid"', 'an unknown status → 23514');
select throws_ok($$update public.chat_messages set role = 'robot' where id = 'a2000000-0000-4000-8000-00000000000a'$$,
  '23514', 'new row for relation "chat_messages" violates check constraint "chat_messages_role_valid"', 'an unknown role → 23514');
select throws_ok($$update public.async_tasks set execution_id = repeat('e', 256) where idempotency_key = 'fixture-a'$$,
  '22001', null, 'an execution id over 255 characters → 22001');

select * from finish();
rollback;
