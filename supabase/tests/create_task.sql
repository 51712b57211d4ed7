-- create_task: a pending task for the caller, idempotent per (owner, key), with its limits as
-- errors (22001 too large, 22023 invalid value or a reserved chat. kind) and no task without a
-- user (42501).
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(22);

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');

select row_to_json(public.create_task('demo.echo', '{"n": 1}', 'task-1')) as ct \gset
select is(:'ct'::jsonb ->> 'status', 'pending', 'create_task makes a pending task');
select is(:'ct'::jsonb ->> 'owner_id', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'owned by the caller');
select is((:'ct'::jsonb ->> 'max_attempts')::int || '/' || (:'ct'::jsonb ->> 'timeout_seconds'), '3/120', 'defaults: 3 attempts, 120 s');
select is((public.create_task('demo.echo', '{"n": 2}', 'task-1')).id::text, :'ct'::jsonb ->> 'id', 'same key → the same task');
select is((public.create_task('demo.echo', '{"n": 2}', 'task-1')).input, '{"n": 1}'::jsonb, '… unchanged (the new input is not applied)');
select is((public.create_task('demo.echo', '{}', 'task-1')).version, 1::bigint, '… and not touched (version 1)');
select isnt((public.create_task('demo.echo', '{}', 'task-2')).id::text, :'ct'::jsonb ->> 'id', 'another key → another task');
select is((public.create_task('demo.echo', '{}', null, 5, 30)).max_attempts, 5, 'a null key is allowed (no idempotency); options apply');
select is((public.create_task('demo.echo', '{}', 'task-conv', 3, 120, 'a0000000-0000-4000-8000-00000000000a')).conversation_id,
  'a0000000-0000-4000-8000-00000000000a'::uuid, 'create_task may name an own conversation');
select throws_ok($$select public.create_task('demo.echo', '{}', 'task-x', 3, 120, 'b0000000-0000-4000-8000-00000000000b')$$,
  'P0002', 'conversation not found', 'create_task naming someone else''s conversation → P0002');

-- The chat. kinds are reserved for send_chat_message (conversation_binding.sql: the attacks).
select throws_ok($$select public.create_task('chat.reply', '{}', 'reserved-1', 3, 120, 'a0000000-0000-4000-8000-00000000000a')$$,
  '22023', 'task kind "chat.reply" is reserved (the chat. kinds): chat replies are made by send_chat_message',
  'create_task refuses chat.reply, even in an own conversation → 22023 naming the kind');
select throws_ok($$select public.create_task('chat.summary', '{}', 'reserved-2')$$,
  '22023', 'task kind "chat.summary" is reserved (the chat. kinds): chat replies are made by send_chat_message',
  'create_task refuses every kind of the chat. namespace');
select throws_ok($$select public.create_task('chat.reply', '{}', 'fixture-a')$$,
  '22023', 'task kind "chat.reply" is reserved (the chat. kinds): chat replies are made by send_chat_message',
  'create_task refuses a reserved kind before looking at the key (no chat task comes back through a key)');
select is((public.create_task('chatbot.greet', '{}', 'not-reserved')).kind, 'chatbot.greet',
  'only the chat. namespace is reserved (chatbot.greet is a kind like any other)');

-- Limits.
select lives_ok(format('select public.create_task(''demo.big'', %L::jsonb, ''input-ok'')', jsonb_build_object('s', repeat('x', 65536 - 9))),
  'input of exactly 64 KB (as JSON text) is accepted');
select throws_ok(format('select public.create_task(''demo.big'', %L::jsonb, ''input-1'')', jsonb_build_object('s', repeat('x', 65536 - 8))),
  '22001', 'task input is larger than 64 KB (65536 bytes as JSON text; got 65537)', 'input of 64 KB + 1 byte → 22001');
select throws_ok($$select public.create_task('Bad Kind!', '{}', 'kind-1')$$,
  '22023', null, 'an invalid kind → 22023');
select throws_ok($$select public.create_task('demo.echo', '{}', 'att-1', 0)$$,
  '22023', 'max_attempts must be between 1 and 50', 'max_attempts 0 → 22023');
select throws_ok($$select public.create_task('demo.echo', '{}', 'att-2', 51)$$,
  '22023', 'max_attempts must be between 1 and 50', 'max_attempts 51 → 22023');
select throws_ok($$select public.create_task('demo.echo', '{}', 'to-1', 3, 0)$$,
  '22023', 'timeout_seconds must be between 1 and 86400', 'timeout 0 → 22023');
select tests.clear_auth();

-- The same key by another user is another task.
select tests.authenticate_as('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
select isnt((public.create_task('demo.echo', '{}', 'task-1')).id::text, :'ct'::jsonb ->> 'id', 'idempotency keys are per owner');
select tests.clear_auth();

select throws_ok($$select public.create_task('demo.echo', '{}', 'k')$$, '42501',
  'not authenticated: this function needs a user (auth.uid() is null)', 'create_task without a user → 42501');

select * from finish();
rollback;
