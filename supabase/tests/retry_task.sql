-- retry_task: the visitor retries a failed task (→ pending, due now, one more attempt allowed);
-- any other state is returned unchanged; someone else's or an unknown task is "not found".
begin;
\ir helpers/setup.psql
select plan(10);

-- A failed task on its last attempt (t3), one failed as not retryable (t4), a completed one (t1).
select tests.authenticate_as_worker();
select tests.make_task(p_max_attempts => 1) as t3 \gset
select (tests.claim(:'t3')).attempt as t3_attempt \gset
select public.task_start(:'t3', 1) as t3_started \gset
select public.task_fail(:'t3', 1, 'boom', 'it broke', true) as t3_failed \gset
select tests.make_task(p_max_attempts => 5) as t4 \gset
select (tests.claim(:'t4')).attempt as t4_attempt \gset
select public.task_fail(:'t4', 1, 'bad_input', 'cannot be done', false) as t4_failed \gset
select tests.make_task() as t1 \gset
select (tests.claim(:'t1')).attempt as t1_attempt \gset
select public.task_start(:'t1', 1) as t1_started \gset
select public.task_complete(:'t1', 1, '{}') as t1_completed \gset
select tests.clear_auth();

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select is((public.retry_task(:'t3')).status, 'pending', 'retry_task: failed → pending');
select is((tests.task_row(:'t3')).max_attempts, 2, 'retry_task allows one more attempt (max_attempts = attempt + 1)');
select ok((tests.task_row(:'t3')).next_attempt_at <= now() and (tests.task_row(:'t3')).dispatched_at is null, 'retry_task makes it due now');
select ok((tests.task_row(:'t3')).finished_at is null, 'retry_task clears finished_at');
select (tests.task_row(:'t1')).version as t1_version \gset
select is((public.retry_task(:'t1')).status, 'completed', 'retry_task on a completed task returns it unchanged');
select is((tests.task_row(:'t1')).version, :t1_version::bigint, '… without a version bump');
select tests.make_task() as t5 \gset
select is((public.retry_task(:'t5')).version, 1::bigint, 'retry_task on a pending task changes nothing');
select throws_ok(format('select public.retry_task(%L)', gen_random_uuid()), 'P0002', 'task not found', 'retry_task: unknown id → P0002 task not found');
select tests.clear_auth();
select tests.authenticate_as('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
select throws_ok(format('select public.retry_task(%L)', :'t4'), 'P0002', 'task not found', 'retry_task: someone else''s task → the same P0002 (no existence leak)');
select tests.clear_auth();
select throws_ok(format('select public.retry_task(%L)', :'t4'), '42501', null, 'retry_task without a user → 42501');

select * from finish();
rollback;
