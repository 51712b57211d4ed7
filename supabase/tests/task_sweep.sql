-- task_sweep: deadlines (timeout, retry if attempts remain), cancel requests past the deadline,
-- dispatched-but-never-started tasks handed out again, or failed on their last attempt; terminal
-- and healthy rows untouched. Attempts of a lost runner instance (worker_lost):
-- runner_instances.sql.
begin;
\ir helpers/setup.psql
select plan(46);

select is((select count(*)::int from pg_proc where proname = 'task_sweep' and pronamespace = 'public'::regnamespace),
  1, 'task_sweep has exactly one signature');
select ok(has_function_privilege('async_worker', 'public.task_sweep(integer,integer)', 'execute'), 'worker may sweep');
select ok(has_function_privilege('service_role', 'public.task_sweep(integer,integer)', 'execute'), 'service_role may sweep');

select tests.authenticate_as_worker();

-- A processing task past its deadline, attempts left → timeout error, pending with backoff.
select tests.make_task(p_max_attempts => 3, p_timeout_seconds => 60) as s1 \gset
select ok((tests.claim(:'s1')).id is not null, 'claim s1');
select ok(public.task_start(:'s1', 1), 'start s1');
-- A processing task past its deadline on its last attempt → failed.
select tests.make_task(p_max_attempts => 1) as s2 \gset
select ok((tests.claim(:'s2')).id is not null, 'claim s2');
select ok(public.task_start(:'s2', 1), 'start s2');
-- A cancel-requested task past its deadline → cancelled.
select tests.make_task() as s3 \gset
select ok((tests.claim(:'s3')).id is not null, 'claim s3');
select ok(public.task_start(:'s3', 1), 'start s3');
-- A dispatched task never started, beyond the grace → handed out again.
select tests.make_task() as s4 \gset
select ok((tests.claim(:'s4')).id is not null, 'claim s4');
-- A dispatched task never started, within the grace → untouched.
select tests.make_task() as s5 \gset
select ok((tests.claim(:'s5')).id is not null, 'claim s5');
-- A healthy processing task before its deadline → untouched.
select tests.make_task() as s6 \gset
select ok((tests.claim(:'s6')).id is not null, 'claim s6');
select ok(public.task_start(:'s6', 1), 'start s6');
-- A completed task with an old deadline → untouched.
select tests.make_task() as s7 \gset
select ok((tests.claim(:'s7')).id is not null, 'claim s7');
select ok(public.task_complete(:'s7', 1, '{}'), 'complete s7');
-- A dispatched, cancel-requested task never started, beyond the grace → cancelled.
select tests.make_task() as s8 \gset
select ok((tests.claim(:'s8')).id is not null, 'claim s8');
select tests.clear_auth();

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select ok((public.request_task_cancel(:'s3')).cancel_requested, 'cancel requested for s3');
select ok((public.request_task_cancel(:'s8')).cancel_requested, 'cancel requested for s8');
select tests.clear_auth();

select tests.expire(:'s1'), tests.expire(:'s2'), tests.expire(:'s3'), tests.expire(:'s7');
select tests.dispatched_ago(:'s4', 31), tests.dispatched_ago(:'s5', 10), tests.dispatched_ago(:'s8', 31);
select (tests.task_row(:'s6')).version as s6_version \gset
select (tests.task_row(:'s5')).version as s5_version \gset
select (tests.task_row(:'s7')).version as s7_version \gset

select tests.authenticate_as_worker();
select is(public.task_sweep(30), '{"timed_out": 3, "redispatched": 1, "lost": 0}'::jsonb, 'the sweep reports what it did');

select is((tests.task_row(:'s1')).status, 'pending', 'timed out with attempts left → pending (retry)');
select is((tests.task_row(:'s1')).error ->> 'code', 'timeout', '… with error code timeout');
select is((tests.task_row(:'s1')).error ->> 'message', 'attempt 1 did not finish within 60 seconds', '… and a clear message');
select ok((tests.task_row(:'s1')).next_attempt_at > now() and (tests.task_row(:'s1')).dispatched_at is null, '… due after a backoff');
select is(public.task_complete(:'s1', 1, '{}'), false, 'the timed-out attempt''s late completion is ignored');
select is((tests.task_row(:'s2')).status, 'failed', 'timed out on the last attempt → failed');
select is((tests.task_row(:'s2')).error ->> 'code', 'timeout', '… with error code timeout');
select is((tests.task_row(:'s3')).status, 'cancelled', 'cancel-requested past the deadline → cancelled');
select is((tests.task_row(:'s4')).status || ' ' || ((tests.task_row(:'s4')).dispatched_at is null), 'pending true',
  'dispatched but never started beyond the grace → dispatched_at cleared (handed out again)');
select is((tests.task_row(:'s4')).error ->> 'code', 'not_started', '… recorded as a failed attempt (not_started)');
select ok((tests.task_row(:'s4')).next_attempt_at > now(), '… due again after a backoff');
select is((tests.task_row(:'s4')).attempt, 1, '… the attempt counter is untouched until the next claim');
select is(public.task_start(:'s4', 1), false, 'the lost dispatch''s late start is refused');
select tests.make_due(:'s4');
select is((tests.claim(:'s4')).attempt, 2, 'the next claim takes it as attempt 2');
select is((tests.task_row(:'s5')).version, :s5_version::bigint, 'within the grace → untouched');
select is((tests.task_row(:'s6')).version, :s6_version::bigint, 'a healthy processing task → untouched');
select is((tests.task_row(:'s7')).version, :s7_version::bigint, 'a completed task → untouched');
select is((tests.task_row(:'s8')).status, 'cancelled', 'a cancel-requested task never started → cancelled by the sweep');

select is(public.task_sweep(30), '{"timed_out": 0, "redispatched": 0, "lost": 0}'::jsonb, 'a second sweep finds nothing to do');

-- Handed out on its last attempt and never started → failed, not handed out forever.
select tests.make_task(p_max_attempts => 2) as s9 \gset
select ok((tests.claim(:'s9')).id is not null, 'claim s9 (attempt 1)');
select tests.dispatched_ago(:'s9', 31);
select is(public.task_sweep(30), '{"timed_out": 0, "redispatched": 1, "lost": 0}'::jsonb, 'never started: handed out again');
select tests.make_due(:'s9');
select is((tests.claim(:'s9')).attempt, 2, 'claim s9 (attempt 2, the last)');
select tests.dispatched_ago(:'s9', 31);
select is(public.task_sweep(30), '{"timed_out": 0, "redispatched": 0, "lost": 0}'::jsonb, 'never started on the last attempt: not handed out');
select is((tests.task_row(:'s9')).status, 'failed', '… the task fails');
select is((tests.task_row(:'s9')).error ->> 'code', 'not_started', '… with code not_started');
select is((tests.task_row(:'s9')).error ->> 'message', 'the worker did not start attempt 2 within 30 seconds', '… and a clear message');
select is((tests.claim(:'s9')).id, null, '… and is never claimed again');
select tests.clear_auth();

select * from finish();
rollback;
