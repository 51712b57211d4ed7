-- send_chat_message's optional p_timeout_seconds: the chat.reply task's per-attempt budget.
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(15);
-- The fixture tasks are chat.reply too: keep them out of this file's claims.
update public.async_tasks set next_attempt_at = now() + interval '1 day' where idempotency_key like 'fixture-%';

-- One signature only: a three-argument call must not be ambiguous (SQL, PostgREST RPC).
select is((select count(*)::int from pg_proc where proname = 'send_chat_message' and pronamespace = 'public'::regnamespace),
  1, 'send_chat_message has exactly one signature');
select is((select prosecdef from pg_proc where oid = 'public.send_chat_message(uuid,text,text,integer)'::regprocedure),
  true, 'it is security definer');
select is((select proconfig from pg_proc where oid = 'public.send_chat_message(uuid,text,text,integer)'::regprocedure),
  array['search_path=""'], 'with an empty search_path');
select ok(has_function_privilege('service_role', 'public.send_chat_message(uuid,text,text,integer)', 'execute'), 'service_role may send');
select ok(not has_function_privilege('public', 'public.send_chat_message(uuid,text,text,integer)', 'execute'), 'PUBLIC may not');

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');

-- The old call shape: three arguments, the default 120 s.
select public.send_chat_message(null, 'three arguments', 'timeout-1') as old \gset
select is((:'old'::jsonb #>> '{task,timeout_seconds}')::int, 120, 'three arguments: timeout_seconds 120 (the default)');

select public.send_chat_message(null, 'five seconds', 'timeout-2', 5) as short \gset
select is((:'short'::jsonb #>> '{task,timeout_seconds}')::int, 5, 'a given timeout is stored on the task');

select public.send_chat_message(null, 'null timeout', 'timeout-3', null) as unset \gset
select is((:'unset'::jsonb #>> '{task,timeout_seconds}')::int, 120, 'null means the default');

select public.send_chat_message(null, 'named', 'timeout-4', p_timeout_seconds => 600) as named \gset
select is((:'named'::jsonb #>> '{task,timeout_seconds}')::int, 600, 'the parameter can be passed by name (as PostgREST does)');

select throws_ok($$select public.send_chat_message(null, 'zero', 'timeout-5', 0)$$,
  '22023', 'timeout_seconds must be between 1 and 86400', 'timeout 0 → 22023');
select throws_ok($$select public.send_chat_message(null, 'a day and a second', 'timeout-6', 86401)$$,
  '22023', 'timeout_seconds must be between 1 and 86400', 'timeout above a day → 22023');

-- Same key, another timeout: the same task, unchanged (idempotent).
select public.send_chat_message(null, 'five seconds', 'timeout-2', 90) as again \gset
select is(:'again'::jsonb #>> '{task,id}', :'short'::jsonb #>> '{task,id}', 'same key → same task');
select is((:'again'::jsonb #>> '{task,timeout_seconds}')::int, 5, 'same key → its timeout unchanged');

-- The worker's claim sets the deadline from it.
reset role;
update public.async_tasks set next_attempt_at = now() + interval '1 day'
 where idempotency_key like 'timeout-%' and idempotency_key <> 'timeout-2';
select tests.authenticate_as_worker();
select is((select id from public.task_claim(1, array['chat.reply'])), (:'short'::jsonb #>> '{task,id}')::uuid, 'the 5 s task is claimed');
reset role;
select is((select deadline_at - dispatched_at from public.async_tasks where id = (:'short'::jsonb #>> '{task,id}')::uuid),
  interval '5 seconds', 'its deadline is 5 s after the claim');

select * from finish();
rollback;
