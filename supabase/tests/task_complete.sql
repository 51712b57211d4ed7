-- task_complete: → completed with the result, only for the current attempt, and final; a
-- chat.reply writes its assistant message exactly once (whatever happens) and refuses a result
-- without content or over 16000 characters; a cancel-requested task completes as cancelled,
-- without a result and without a reply.
begin;
\ir helpers/setup.psql
select plan(26);

-- ── completed, and never moves again ──────────────────────────────────────────
select tests.authenticate_as_worker();
select tests.make_task() as t1 \gset
select (tests.claim(:'t1')).attempt as t1_attempt \gset
select public.task_start(:'t1', 1) as t1_started \gset
select is(public.task_complete(:'t1', 1, '{"answer": 42}'), true, 'complete on the current attempt');
select is((tests.task_row(:'t1')).status, 'completed', 'processing → completed');
select is((tests.task_row(:'t1')).result, '{"answer": 42}'::jsonb, 'the result is stored');
select ok((tests.task_row(:'t1')).finished_at is not null, 'finished_at is set');
select (tests.task_row(:'t1')).version as done_version \gset
select is(public.task_complete(:'t1', 1, '{"answer": 0}'), false, 'completed → complete again is refused');
select is(public.task_fail(:'t1', 1, 'late', 'late'), false, 'completed → fail is refused');
select is(public.task_cancel(:'t1', 1), false, 'completed → cancel is refused');
select is(public.task_progress(:'t1', 1, 'late'), false, 'completed → progress is refused');
select is(public.task_start(:'t1', 1), false, 'completed → start is refused');
select is((tests.task_row(:'t1')).status || ' ' || (tests.task_row(:'t1')).version, 'completed ' || :done_version,
  'a completed task never moves and its version stays');
select tests.clear_auth();

-- ── chat.reply: exactly one assistant message ─────────────────────────────────
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message(null, 'What is pgTAP?', 'send-1') as first \gset
select tests.clear_auth();
select (:'first'::jsonb #>> '{task,id}') as chat_task \gset
select tests.authenticate_as_worker();
select is((tests.claim(:'chat_task')).attempt, 1, 'the chat task is claimed');
select is(public.task_start(:'chat_task', 1, 'n8n-42', 'Reading the conversation…'), true, 'started');
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

-- ── a chat task cancelled while running writes no reply ───────────────────────
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select (public.send_chat_message(null, 'Never mind', 'send-cancel') #>> '{task,id}') as cancel_task \gset
select tests.clear_auth();
-- Keep every other due chat.reply task out of this claim.
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

select * from finish();
rollback;
