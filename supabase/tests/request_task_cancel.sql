-- Cancellation end to end: request_task_cancel (the visitor's stop) and how each worker call
-- finishes a cancel request: task_start says "do not start", task_progress says "stop",
-- task_cancel acknowledges, task_complete and task_fail end as cancelled; a cancel-requested task
-- is never claimed. The sweep's part: task_sweep.sql; a chat reply that is not written:
-- task_complete.sql.
begin;
\ir helpers/setup.psql
select plan(31);

-- A completed task (t1), for a cancel that must change nothing.
select tests.authenticate_as_worker();
select tests.make_task() as t1 \gset
select (tests.claim(:'t1')).attempt as t1_attempt \gset
select public.task_start(:'t1', 1) as t1_started \gset
select public.task_complete(:'t1', 1, '{}') as t1_completed \gset
select tests.clear_auth();

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select tests.make_task() as c1 \gset
select is((public.request_task_cancel(:'c1')).status, 'cancelled', 'cancel of a pending, undispatched task → cancelled at once');
select ok((tests.task_row(:'c1')).finished_at is not null, 'cancelled sets finished_at');
select tests.make_task() as c2 \gset
select tests.make_task() as c3 \gset
select tests.make_task() as c4 \gset
select tests.make_task() as c5 \gset
select tests.make_task() as c6 \gset
select tests.clear_auth();
select tests.authenticate_as_worker();
select ok((tests.claim(:'c2')).id is not null, 'claim c2');
select ok((tests.claim(:'c3')).id is not null, 'claim c3');
select ok((tests.claim(:'c4')).id is not null, 'claim c4');
select ok((tests.claim(:'c5')).id is not null, 'claim c5');
select ok((tests.claim(:'c6')).id is not null, 'claim c6');
select ok(public.task_start(:'c3', 1) and public.task_start(:'c4', 1) and public.task_start(:'c5', 1) and public.task_start(:'c6', 1), 'start c3..c6');
select tests.clear_auth();
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select is((public.request_task_cancel(:'c2')).status || ' ' || (tests.task_row(:'c2')).cancel_requested, 'pending true',
  'cancel of a dispatched pending task → cancel_requested, still pending');
select is((public.request_task_cancel(:'c3')).status || ' ' || (tests.task_row(:'c3')).cancel_requested, 'processing true',
  'cancel of a processing task → cancel_requested, still processing');
select (tests.task_row(:'c3')).version as c3_version \gset
select is((public.request_task_cancel(:'c3')).version, :c3_version::bigint, 'a second cancel request changes nothing');
select ok((public.request_task_cancel(:'c4')).cancel_requested and (public.request_task_cancel(:'c5')).cancel_requested
  and (public.request_task_cancel(:'c6')).cancel_requested, 'cancel requested for c4, c5, c6');
select is((public.request_task_cancel(:'t1')).status, 'completed', 'cancel of a completed task → unchanged');
select is((public.request_task_cancel(:'c1')).status, 'cancelled', 'cancel of a cancelled task → unchanged');
select throws_ok(format('select public.request_task_cancel(%L)', gen_random_uuid()), 'P0002', 'task not found', 'request_task_cancel: unknown id → P0002');
select tests.clear_auth();
select tests.authenticate_as_worker();
select is((select count(*)::int from public.task_claim(10, array[(tests.task_row(:'c2')).kind])), 0, 'cancel-requested tasks are never claimed');
select is(public.task_start(:'c2', 1), false, 'start of a cancel-requested pending task says no …');
select is((tests.task_row(:'c2')).status, 'cancelled', '… and cancels it');
select is(public.task_progress(:'c3', 1, 'still working'), false, 'progress on a cancel-requested task says stop …');
select is((tests.task_row(:'c3')).status || ' ' || coalesce((tests.task_row(:'c3')).status_message, 'nothing'), 'cancelled nothing',
  '… records nothing, and finishes the cancel (processing → cancelled) so a worker that just stops leaves nothing open');
select is(public.task_cancel(:'c6', 2), false, 'acknowledging the cancel for another attempt is ignored');
select is(public.task_cancel(:'c6', 1), true, 'the worker acknowledges the cancel');
select is((tests.task_row(:'c6')).status, 'cancelled', 'processing → cancelled');
select is(public.task_complete(:'c3', 1, '{}'), false, 'cancelled → complete refused');
select is(public.task_fail(:'c3', 1, 'x', 'x'), false, 'cancelled → fail refused');
select is(public.task_start(:'c3', 1), false, 'cancelled → start refused');
select is(public.task_complete(:'c4', 1, '{"late": true}'), true, 'complete of a cancel-requested task is accepted …');
select is((tests.task_row(:'c4')).status || ' ' || coalesce((tests.task_row(:'c4')).result::text, 'no result'), 'cancelled no result',
  '… and the task becomes cancelled, without a result');
select is(public.task_fail(:'c5', 1, 'x', 'x', true), true, 'fail of a cancel-requested task is accepted …');
select is((tests.task_row(:'c5')).status, 'cancelled', '… and the task becomes cancelled, not retried');
select tests.clear_auth();

-- Someone else's task is "not found", exactly like an unknown one.
select tests.authenticate_as('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
select throws_ok(format('select public.request_task_cancel(%L)', :'t1'), 'P0002', 'task not found', 'request_task_cancel: someone else''s task → P0002');
select tests.clear_auth();

select * from finish();
rollback;
