-- task_start and task_progress: the worker begins an attempt (→ processing, started_at, the
-- execution id) and reports status lines, only for the current attempt; a status line is at
-- most 1000 characters. Their answer to a cancel request: request_task_cancel.sql.
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(13);

select tests.authenticate_as_worker();
select tests.make_task() as t1 \gset
select (tests.claim(:'t1')).attempt as t1_attempt \gset

select is(public.task_start(:'t1', 2), false, 'start for a future attempt is refused');
select is(public.task_start(:'t1', 1, 'exec-1', 'Reading the conversation…'), true, 'start for the current attempt');
select is((tests.task_row(:'t1')).status, 'processing', 'start moves pending → processing');
select is((tests.task_row(:'t1')).execution_id::text, 'exec-1', 'start records the execution id');
select ok((tests.task_row(:'t1')).started_at is not null, 'start sets started_at');
select is(public.task_start(:'t1', 1, null, 'again'), true, 'start again on the same attempt only updates the message');
select is((tests.task_row(:'t1')).execution_id::text || ' / ' || (tests.task_row(:'t1')).status_message, 'exec-1 / again',
  'the execution id is kept, the message replaced');
select is(public.task_progress(:'t1', 1, 'AI is thinking…'), true, 'progress on the current attempt');
select is((tests.task_row(:'t1')).status_message, 'AI is thinking…', 'progress sets status_message');
select is(public.task_progress(:'t1', 7, 'stale'), false, 'progress for another attempt is ignored');
select is((tests.task_row(:'t1')).status_message, 'AI is thinking…', 'the ignored progress changed nothing');
select tests.clear_auth();

-- A status line over 1000 characters is an error, never truncated.
-- Other chat.reply tasks of this file are due with the same timestamps: keep them out of the claim.
update public.async_tasks set next_attempt_at = now() + interval '1 day'
 where kind = 'chat.reply' and status = 'pending' and id <> 'a1000000-0000-4000-8000-00000000000a';
select tests.authenticate_as_worker();
select ok((tests.claim('a1000000-0000-4000-8000-00000000000a')).id is not null, 'claim the fixture task');
select throws_ok($$select public.task_progress('a1000000-0000-4000-8000-00000000000a', 1, repeat('m', 1001))$$,
  '22001', 'status message is longer than 1000 characters', 'an over-long status message → 22001');
select tests.clear_auth();

select * from finish();
rollback;
