-- task_output: the text a streaming reply has written so far, appended or replaced, only for the
-- live attempt; a cancel request finishes the cancel and answers false; nothing after the end.
-- partial_text belongs to the current attempt: cleared when it goes back to pending, at a claim,
-- on retry_task and on completion (the message holds the text); kept on failed and cancelled.
-- task_cancel may carry the worker's last text.
begin;
\ir helpers/setup.psql
select plan(44);

-- ── who may call it ───────────────────────────────────────────────────────────
select ok(has_function_privilege('async_worker', 'public.task_output(uuid,integer,text,boolean)', 'execute'), 'the worker may write output');
select ok(has_function_privilege('service_role', 'public.task_output(uuid,integer,text,boolean)', 'execute'), 'service_role may write output');
select ok(not has_function_privilege('authenticated', 'public.task_output(uuid,integer,text,boolean)', 'execute'), 'visitors may not write output');
select ok(not has_function_privilege('anon', 'public.task_output(uuid,integer,text,boolean)', 'execute'), 'anon may not write output');
select ok(not has_column_privilege('authenticated', 'public.async_tasks', 'partial_text', 'update'), 'visitors may not update partial_text');
select ok(not has_column_privilege('authenticated', 'public.async_tasks', 'partial_text', 'insert'), 'visitors may not insert partial_text');

-- ── append, replace, the live attempt only ────────────────────────────────────
select tests.authenticate_as_worker();
select tests.make_task() as t1 \gset
select is(public.task_output(:'t1', 1, 'early'), false, 'output before any claim is refused');
select ok((tests.claim(:'t1')).id is not null, 'claim t1');
select (tests.task_row(:'t1')).version as v0 \gset
select is(public.task_output(:'t1', 1, 'Hello'), true, 'output on the dispatched attempt');
select is((tests.task_row(:'t1')).status, 'processing', 'the first output moves pending → processing');
select ok((tests.task_row(:'t1')).started_at is not null, 'and sets started_at');
select is(public.task_output(:'t1', 1, ', world'), true, 'a second chunk');
select is((tests.task_row(:'t1')).partial_text, 'Hello, world', 'chunks are appended in order');
select is((tests.task_row(:'t1')).version, :v0::bigint + 2, 'each accepted write is one version');
select is(public.task_output(:'t1', 1, ''), true, 'an empty append is accepted');
select is((tests.task_row(:'t1')).version, :v0::bigint + 2, 'an empty append changes nothing');
select is(public.task_output(:'t1', 2, 'stale'), false, 'output for another attempt is refused');
select is((tests.task_row(:'t1')).partial_text, 'Hello, world', 'the refused output changed nothing');
select is(public.task_output(:'t1', 1, 'Start over', true), true, 'replace');
select is((tests.task_row(:'t1')).partial_text, 'Start over', 'replace sets the whole text');
select throws_ok(format('select public.task_output(%L, 1, %L)', :'t1', repeat('x', 16000)), '22001',
  'the reply is longer than 16000 characters (16010)', 'output beyond 16000 characters is an error, never truncated');
select is((tests.task_row(:'t1')).partial_text, 'Start over', 'the refused output changed nothing');

-- ── a retryable failure starts the next attempt from nothing ──────────────────
select is(public.task_fail(:'t1', 1, 'llm_stream_interrupted', 'the stream broke', true), true, 'the attempt fails, retryable');
select is((tests.task_row(:'t1')).status || ' ' || coalesce((tests.task_row(:'t1')).partial_text, '<null>'), 'pending <null>',
  'back to pending, the partial text cleared');
select tests.make_due(:'t1');
select is((tests.claim(:'t1')).attempt, 2, 'attempt 2 is claimed');
select is(public.task_output(:'t1', 1, 'late words'), false, 'the old attempt can no longer write');
select is(public.task_output(:'t1', 2, 'Second try'), true, 'attempt 2 writes');

-- ── a final failure keeps the text; retry_task clears it ──────────────────────
select is(public.task_fail(:'t1', 2, 'llm_rejected', 'refused', false), true, 'attempt 2 fails for good');
select is((tests.task_row(:'t1')).status || ' ' || (tests.task_row(:'t1')).partial_text, 'failed Second try',
  'a failed task keeps what was written');
select tests.clear_auth();
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select is((public.retry_task(:'t1')).partial_text, null, 'retry_task clears the partial text');
select tests.clear_auth();

-- ── terminal and cancelled tasks ──────────────────────────────────────────────
select tests.authenticate_as_worker();
select tests.make_task() as t2 \gset
select ok((tests.claim(:'t2')).id is not null, 'claim t2');
select is(public.task_output(:'t2', 1, 'The answer so far'), true, 't2 writes');
select is(public.task_complete(:'t2', 1, '{"content": "ignored for a generic task"}'), true, 't2 completes');
select is((tests.task_row(:'t2')).partial_text, null, 'completion clears the partial text');
select is(public.task_output(:'t2', 1, 'after the end'), false, 'output on a completed task is refused');

select tests.make_task() as t3 \gset
select ok((tests.claim(:'t3')).id is not null, 'claim t3');
select is(public.task_output(:'t3', 1, 'Stopped mid'), true, 't3 writes');
select tests.clear_auth();
update public.async_tasks set cancel_requested = true where id = :'t3';
select tests.authenticate_as_worker();
select is(public.task_output(:'t3', 1, ' sentence'), false, 'output on a cancel-requested task answers false (stop)');
select is((tests.task_row(:'t3')).status || ' ' || (tests.task_row(:'t3')).partial_text, 'cancelled Stopped mid',
  'and finishes the cancel, keeping the text written before it');

select tests.make_task() as t4 \gset
select ok((tests.claim(:'t4')).id is not null, 'claim t4');
select is(public.task_output(:'t4', 1, 'Partial'), true, 't4 writes');
select tests.clear_auth();
update public.async_tasks set cancel_requested = true where id = :'t4';
select tests.authenticate_as_worker();
select is(public.task_cancel(:'t4', 1, 'Partial answer, up to the Stop'), true, 'the worker acknowledges with its last text');
select is((tests.task_row(:'t4')).status || ' ' || (tests.task_row(:'t4')).partial_text, 'cancelled Partial answer, up to the Stop',
  'the stopped reply keeps the worker''s last text');
select tests.clear_auth();

-- ── every claim starts the text afresh ────────────────────────────────────────
select tests.make_task() as t5 \gset
update public.async_tasks set partial_text = 'left over' where id = :'t5';
select tests.authenticate_as_worker();
select is((tests.claim(:'t5')).partial_text, null, 'a claim clears any text left on the row');
select tests.clear_auth();

select * from finish();
rollback;
