-- send_chat_message and create_task: one transaction, idempotent keys, exactly-once replies.
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select no_plan();
-- The fixture tasks are chat.reply too: keep them out of this file's claims.
update public.async_tasks set next_attempt_at = now() + interval '1 day' where idempotency_key like 'fixture-%';

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');

-- ── send_chat_message ─────────────────────────────────────────────────────────
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
-- One transaction gives both the same created_at; space them as two requests would be, so the
-- conversation's reply order (first asked, first answered) is defined.
select tests.clear_auth();
update public.async_tasks set created_at = created_at + interval '1 second' where id = (:'second'::jsonb #>> '{task,id}')::uuid;
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok($$select public.send_chat_message('b0000000-0000-4000-8000-00000000000b', 'hi', 'send-3')$$,
  'P0002', 'conversation not found', 'sending into someone else''s conversation → P0002 conversation not found');
select throws_ok(format('select public.send_chat_message(%L, ''hi'', ''send-4'')', gen_random_uuid()),
  'P0002', 'conversation not found', 'sending into an unknown conversation → the same P0002');

-- ── create_task ───────────────────────────────────────────────────────────────
select row_to_json(public.create_task('demo.echo', '{"n": 1}', 'task-1')) as ct \gset
select is(:'ct'::jsonb ->> 'status', 'pending', 'create_task makes a pending task');
select is(:'ct'::jsonb ->> 'owner_id', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'owned by the caller');
select is((:'ct'::jsonb ->> 'max_attempts')::int || '/' || (:'ct'::jsonb ->> 'timeout_seconds'), '3/120', 'defaults: 3 attempts, 120 s');
select is((public.create_task('demo.echo', '{"n": 2}', 'task-1')).id::text, :'ct'::jsonb ->> 'id', 'same key → the same task');
select is((public.create_task('demo.echo', '{"n": 2}', 'task-1')).input, '{"n": 1}'::jsonb, '… unchanged (the new input is not applied)');
select is((public.create_task('demo.echo', '{}', 'task-1')).version, 1::bigint, '… and not touched (version 1)');
select isnt((public.create_task('demo.echo', '{}', 'task-2')).id::text, :'ct'::jsonb ->> 'id', 'another key → another task');
select is((public.create_task('demo.echo', '{}', null, 5, 30)).max_attempts, 5, 'a null key is allowed (no idempotency); options apply');
select is((public.create_task('chat.reply', '{}', 'task-conv', 3, 120, 'a0000000-0000-4000-8000-00000000000a')).conversation_id,
  'a0000000-0000-4000-8000-00000000000a'::uuid, 'create_task may name an own conversation');
select throws_ok($$select public.create_task('chat.reply', '{}', 'task-x', 3, 120, 'b0000000-0000-4000-8000-00000000000b')$$,
  'P0002', 'conversation not found', 'create_task naming someone else''s conversation → P0002');
select throws_ok($$select public.send_chat_message(null, 'hi', 'task-1')$$,
  '23505', 'idempotency key already used for another kind of request',
  'a key already used by create_task cannot be reused for a chat message');
select tests.clear_auth();

-- The same key by another user is another task.
select tests.authenticate_as('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
select isnt((public.create_task('demo.echo', '{}', 'task-1')).id::text, :'ct'::jsonb ->> 'id', 'idempotency keys are per owner');
select tests.clear_auth();

select throws_ok($$select public.create_task('demo.echo', '{}', 'k')$$, '42501',
  'not authenticated: this function needs a user (auth.uid() is null)', 'create_task without a user → 42501');
select throws_ok($$select public.send_chat_message(null, 'hi', 'k')$$, '42501',
  'not authenticated: this function needs a user (auth.uid() is null)', 'send_chat_message without a user → 42501');

-- ── exactly-once assistant message ────────────────────────────────────────────
select (:'first'::jsonb #>> '{task,id}') as chat_task \gset
select tests.authenticate_as_worker();
select is((tests.claim(:'chat_task')).attempt, 1, 'the chat task is claimed');
select is(public.task_start(:'chat_task', 1, 'n8n-42', 'Reading the conversation…'), true, 'started');
select results_eq(format('select role, content from public.conversation_history(%L)', :'first'::jsonb ->> 'conversation_id'),
  $$values ('user'::text, 'What is pgTAP?'::text), ('user', 'And a follow-up')$$, 'the worker reads the history, oldest first');
select results_eq(format('select content from public.conversation_history(%L, 1)', :'first'::jsonb ->> 'conversation_id'),
  $$values ('And a follow-up'::text)$$, 'conversation_history keeps the last p_limit messages');
select throws_ok(format('select public.task_complete(%L, 1, ''{"content": ""}'')', :'chat_task'), '22023',
  'chat.reply result needs a non-empty "content" string', 'a chat.reply result without content is an error');
select throws_ok(format('select public.task_complete(%L, 1, %L)', :'chat_task', jsonb_build_object('content', repeat('x', 16001))), '22001',
  'message content is longer than 16000 characters (16001)', 'an over-long reply is an error, never truncated');
select is(public.task_complete(:'chat_task', 1, '{"content": "pgTAP is a unit testing framework for PostgreSQL."}'), true, 'the reply completes the task');
select is(public.task_complete(:'chat_task', 1, '{"content": "a second reply"}'), false, 'a second completion is refused');
select tests.clear_auth();
select results_eq(format('select role, content, owner_id::text from public.chat_messages where async_task_id = %L order by seq', :'chat_task'),
  $$values ('user'::text, 'What is pgTAP?'::text, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::text),
           ('assistant', 'pgTAP is a unit testing framework for PostgreSQL.', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  'exactly one assistant message, owned by the visitor, in the same conversation');
-- Even if the task were forced back to processing and completed again, the unique index holds.
update public.async_tasks set status = 'processing' where id = :'chat_task';
select tests.authenticate_as_worker();
select is(public.task_complete(:'chat_task', 1, '{"content": "a duplicate"}'), true, 'a forced second completion runs …');
select tests.clear_auth();
select is((select count(*)::int from public.chat_messages where async_task_id = :'chat_task' and role = 'assistant'), 1,
  '… and still leaves exactly one assistant message');
select throws_ok(format($$insert into public.chat_messages (conversation_id, owner_id, role, content, async_task_id)
  values (%L, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'assistant', 'dup', %L)$$, :'first'::jsonb ->> 'conversation_id', :'chat_task'),
  '23505', null, 'a direct second assistant message for the task violates the unique index');

-- A chat task that is cancelled while running writes no reply.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select (public.send_chat_message(null, 'Never mind', 'send-cancel') #>> '{task,id}') as cancel_task \gset
select tests.clear_auth();
-- 'send-2' is due too since its predecessor completed, with the same timestamps (one
-- transaction): keep it out of this claim, which would otherwise pick either.
update public.async_tasks set next_attempt_at = now() + interval '1 day'
 where kind = 'chat.reply' and status = 'pending' and id <> :'cancel_task';
select tests.authenticate_as_worker();
select ok((tests.claim(:'cancel_task')).id is not null, 'claimed');
select ok(public.task_start(:'cancel_task', 1), 'started');
select tests.clear_auth();
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select ok((public.request_task_cancel(:'cancel_task')).cancel_requested, 'the visitor presses stop');
select tests.clear_auth();
select tests.authenticate_as_worker();
select is(public.task_complete(:'cancel_task', 1, '{"content": "too late"}'), true, 'the worker''s completion is accepted');
select tests.clear_auth();
select is((tests.task_row(:'cancel_task')).status, 'cancelled', 'the task is cancelled');
select is((select count(*)::int from public.chat_messages where async_task_id = :'cancel_task' and role = 'assistant'), 0, 'no assistant message');

-- ── notifications and seq on chat rows ─────────────────────────────────────────
select ok((select bool_and(seq is not null) from public.chat_messages), 'every message has a seq');
select is((select count(distinct seq) from public.chat_messages), (select count(*) from public.chat_messages), 'seq values are unique');

select * from finish();
rollback;
