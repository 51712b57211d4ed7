-- task_claim: what a claim hands out (due tasks, oldest first, at most p_limit, of the given
-- kinds) and what it does to them (a new attempt: attempt + 1, dispatched_at, deadline_at);
-- before a claim no worker call applies. Reply order within a conversation: reply_order.sql;
-- claims per runner instance: runner_instances.sql.
begin;
\ir helpers/setup.psql
select plan(23);

-- ── the function ───────────────────────────────────────────────────────────────
select is((select count(*)::int from pg_proc where proname = 'task_claim' and pronamespace = 'public'::regnamespace),
  1, 'task_claim has exactly one signature');
select ok((select prosecdef from pg_proc where oid = 'public.task_claim(integer,text[],uuid)'::regprocedure), 'task_claim is security definer');
select ok(has_function_privilege('async_worker', 'public.task_claim(integer,text[],uuid)', 'execute'), 'worker may claim');
select ok(not has_function_privilege('authenticated', 'public.task_claim(integer,text[],uuid)', 'execute'), 'visitors may not claim');

select tests.authenticate_as_worker();

-- ── before a claim, nothing applies ────────────────────────────────────────────
select tests.make_task() as t1 \gset
select is((tests.task_row(:'t1')).status || '/' || (tests.task_row(:'t1')).attempt || '/' || (tests.task_row(:'t1')).version,
  'pending/0/1', 'a new task is pending, attempt 0, version 1');
select is(public.task_start(:'t1', 0), false, 'start before any claim (attempt 0) is refused');
select is(public.task_progress(:'t1', 0, 'x'), false, 'progress before any claim is refused');
select is(public.task_complete(:'t1', 0, '{}'), false, 'complete before any claim is refused');
select is(public.task_fail(:'t1', 0, 'e', 'm'), false, 'fail before any claim is refused');
select is(public.task_cancel(:'t1', 0), false, 'cancel before any claim is refused');
select is((tests.task_row(:'t1')).version, 1::bigint, 'refused calls change nothing (version still 1)');

-- ── a claim starts an attempt ──────────────────────────────────────────────────
select ok((tests.claim(:'t1')).id is not null, 'claim returns the due task');
select is((tests.task_row(:'t1')).attempt, 1, 'claim increments attempt to 1');
select ok((tests.task_row(:'t1')).dispatched_at = now(), 'claim sets dispatched_at');
select is((tests.task_row(:'t1')).deadline_at, now() + interval '120 seconds', 'claim sets deadline_at = now() + timeout_seconds');
select is((tests.task_row(:'t1')).status, 'pending', 'a claimed task stays pending until the worker starts');
select is((select count(*)::int from tests.claim(:'t1') c where c.id is not null), 0, 'a dispatched task is not claimed again');

-- ── order, limit, kinds ────────────────────────────────────────────────────────
select tests.make_task(p_kind => 'test.order') as o1 \gset
select tests.make_task(p_kind => 'test.order') as o2 \gset
select tests.make_task(p_kind => 'test.order') as o3 \gset
select tests.clear_auth();
update public.async_tasks set next_attempt_at = now() - interval '3 minutes' where id = :'o2';
update public.async_tasks set next_attempt_at = now() - interval '2 minutes' where id = :'o3';
update public.async_tasks set next_attempt_at = now() - interval '1 minutes' where id = :'o1';
select tests.authenticate_as_worker();
select results_eq(format('select id from public.task_claim(2, array[%L])', 'test.order'),
  format('values (%L::uuid), (%L::uuid)', :'o2', :'o3'), 'claim takes the oldest due first, at most p_limit');
select is((select count(*)::int from public.task_claim(5, array['test.nothing-of-this-kind'])), 0, 'claim filters by kind');
select is((select count(*)::int from public.task_claim(0)), 0, 'claim with limit 0 takes nothing');

-- ── call shapes: every parameter has a default ─────────────────────────────────
select lives_ok('select * from public.task_claim()', 'task_claim() works');
select lives_ok('select * from public.task_claim(5)', 'task_claim(5) works');
select lives_ok($$select * from public.task_claim(p_limit => 5, p_kinds => array['none'])$$, 'named arguments work');
select tests.clear_auth();

select * from finish();
rollback;
