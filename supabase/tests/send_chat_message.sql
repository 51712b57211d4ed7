-- send_chat_message: one chat turn (conversation, user message, chat.reply task) in one
-- transaction, idempotent per (owner, key); its content limits; the reply's per-attempt budget
-- p_timeout_seconds; no message without a user (42501).
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(44);
-- The fixture tasks are chat.reply too: keep them out of this file's claims.
update public.async_tasks set next_attempt_at = now() + interval '1 day' where idempotency_key like 'fixture-%';

-- One signature only: a three-argument call must not be ambiguous (SQL, PostgREST RPC).
select is((select count(*)::int from pg_proc where proname = 'send_chat_message' and pronamespace = 'public'::regnamespace),
  1, 'send_chat_message has exactly one signature');
select is((select prosecdef from pg_proc where oid = 'public.send_chat_message(uuid,text,text,integer,jsonb)'::regprocedure),
  true, 'it is security definer');
select is((select proconfig from pg_proc where oid = 'public.send_chat_message(uuid,text,text,integer,jsonb)'::regprocedure),
  array['search_path=""'], 'with an empty search_path');
select ok(has_function_privilege('service_role', 'public.send_chat_message(uuid,text,text,integer,jsonb)', 'execute'), 'service_role may send');
select ok(not has_function_privilege('public', 'public.send_chat_message(uuid,text,text,integer,jsonb)', 'execute'), 'PUBLIC may not');

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');

-- ── a new conversation, a follow-up, the same key again ───────────────────────
select public.send_chat_message(null, 'What is pgTAP?', 'send-1') as first \gset
select ok((:'first'::jsonb ->> 'conversation_id') is not null, 'a null conversation id starts a new conversation');
select is((:'first'::jsonb ->> 'created')::boolean, true, 'the first call creates');
select is(:'first'::jsonb #>> '{message,role}', 'user', 'the message is a user message');
select is(:'first'::jsonb #>> '{message,content}', 'What is pgTAP?', 'with the content');
select is(:'first'::jsonb #>> '{message,async_task_id}', :'first'::jsonb #>> '{task,id}', 'the message points at its task');
select is(:'first'::jsonb #>> '{task,kind}', 'chat.reply', 'the task is a chat.reply');
select is(:'first'::jsonb #>> '{task,status}', 'pending', 'the task is pending');
select is(:'first'::jsonb #>> '{task,conversation_id}', :'first'::jsonb ->> 'conversation_id', 'the task names the conversation');
select is(:'first'::jsonb #> '{task,input}',
  jsonb_build_object('conversation_id', :'first'::jsonb ->> 'conversation_id', 'message_id', :'first'::jsonb #>> '{message,id}'),
  'the task input is {conversation_id, message_id}');
select is(jsonb_typeof(:'first'::jsonb #> '{message,seq}'), 'number', 'seq is a JSON number');
select is((select owner_id from public.conversations where id = (:'first'::jsonb ->> 'conversation_id')::uuid),
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid, 'the new conversation belongs to the caller');

select count(*) as messages_before from public.chat_messages \gset
select count(*) as tasks_before from public.async_tasks \gset
select public.send_chat_message(null, 'What is pgTAP?', 'send-1') as again \gset
select is((:'again'::jsonb ->> 'created')::boolean, false, 'the same key again: not created');
select is(:'again'::jsonb #>> '{message,id}', :'first'::jsonb #>> '{message,id}', 'same key → the same message');
select is(:'again'::jsonb #>> '{task,id}', :'first'::jsonb #>> '{task,id}', 'same key → the same task');
select is(:'again'::jsonb ->> 'conversation_id', :'first'::jsonb ->> 'conversation_id', 'same key → the same conversation');
select is((select count(*) from public.chat_messages), :messages_before::bigint, 'same key → no new message');
select is((select count(*) from public.async_tasks), :tasks_before::bigint, 'same key → no new task');
select is((select count(*)::int from public.conversations where owner_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'), 2, 'same key → no new conversation');

select public.send_chat_message((:'first'::jsonb ->> 'conversation_id')::uuid, 'And a follow-up', 'send-2') as second \gset
select is(:'second'::jsonb ->> 'conversation_id', :'first'::jsonb ->> 'conversation_id', 'a follow-up goes into the given conversation');
select isnt(:'second'::jsonb #>> '{task,id}', :'first'::jsonb #>> '{task,id}', 'a new key makes a new task');
select throws_ok($$select public.send_chat_message('b0000000-0000-4000-8000-00000000000b', 'hi', 'send-3')$$,
  'P0002', 'conversation not found', 'sending into someone else''s conversation → P0002 conversation not found');
select throws_ok(format('select public.send_chat_message(%L, ''hi'', ''send-4'')', gen_random_uuid()),
  'P0002', 'conversation not found', 'sending into an unknown conversation → the same P0002');

-- A key is per kind of request: one used by create_task is not a chat message's.
select public.create_task('demo.echo', '{"n": 1}', 'task-1') is not null as created_task \gset
select throws_ok($$select public.send_chat_message(null, 'hi', 'task-1')$$,
  '23505', 'idempotency key already used for another kind of request',
  'a key already used by create_task cannot be reused for a chat message');

-- ── limits ─────────────────────────────────────────────────────────────────────
select lives_ok(format('select public.send_chat_message(null, %L, ''limit-ok'')', repeat('é', 16000)),
  'content of exactly 16000 characters (multi-byte) is accepted');
select throws_ok(format('select public.send_chat_message(null, %L, ''limit-1'')', repeat('x', 16001)),
  '22001', 'message content is longer than 16000 characters (16001)', 'content of 16001 characters → 22001 with the limit in the message');
select throws_ok($$select public.send_chat_message(null, '', 'limit-2')$$,
  '22023', 'message content must not be empty', 'empty content → 22023');
select throws_ok($$select public.send_chat_message(null, null, 'limit-3')$$,
  '22023', 'message content must not be empty', 'null content → 22023');
select throws_ok(format('select public.send_chat_message(null, ''hi'', %L)', repeat('k', 256)),
  '22023', 'idempotency key must be 1 to 255 characters', 'an over-long idempotency key → 22023');
select tests.clear_auth();

select throws_ok($$select public.send_chat_message(null, 'hi', 'k')$$, '42501',
  'not authenticated: this function needs a user (auth.uid() is null)', 'send_chat_message without a user → 42501');

-- ── p_timeout_seconds: the chat.reply task's per-attempt budget ───────────────
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');

-- Three arguments: the default 120 s.
select public.send_chat_message(null, 'three arguments', 'timeout-1') as three \gset
select is((:'three'::jsonb #>> '{task,timeout_seconds}')::int, 120, 'three arguments: timeout_seconds 120 (the default)');

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

-- The worker's claim sets the deadline from it (every other pending task is pushed out of the claim).
reset role;
update public.async_tasks set next_attempt_at = now() + interval '1 day'
 where status = 'pending' and idempotency_key <> 'timeout-2';
select tests.authenticate_as_worker();
select is((select id from public.task_claim(1, array['chat.reply'])), (:'short'::jsonb #>> '{task,id}')::uuid, 'the 5 s task is claimed');
reset role;
select is((select deadline_at - dispatched_at from public.async_tasks where id = (:'short'::jsonb #>> '{task,id}')::uuid),
  interval '5 seconds', 'its deadline is 5 s after the claim');

select * from finish();
rollback;
