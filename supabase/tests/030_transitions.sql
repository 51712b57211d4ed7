-- The task state machine through the worker functions: every transition allowed and refused,
-- stale attempts ignored, terminal states final, version/seq bumped on every change.
begin;
\ir helpers/setup.psql
select no_plan();

select tests.authenticate_as_worker();

-- ── pending → claimed → processing → completed ────────────────────────────────
select tests.make_task() as t1 \gset
select is((tests.task_row(:'t1')).status || '/' || (tests.task_row(:'t1')).attempt || '/' || (tests.task_row(:'t1')).version,
  'pending/0/1', 'a new task is pending, attempt 0, version 1');
select is(public.task_start(:'t1', 0), false, 'start before any claim (attempt 0) is refused');
select is(public.task_progress(:'t1', 0, 'x'), false, 'progress before any claim is refused');
select is(public.task_complete(:'t1', 0, '{}'), false, 'complete before any claim is refused');
select is(public.task_fail(:'t1', 0, 'e', 'm'), false, 'fail before any claim is refused');
select is(public.task_cancel(:'t1', 0), false, 'cancel before any claim is refused');
select is((tests.task_row(:'t1')).version, 1::bigint, 'refused calls change nothing (version still 1)');

select ok((tests.claim(:'t1')).id is not null, 'claim returns the due task');
select is((tests.task_row(:'t1')).attempt, 1, 'claim increments attempt to 1');
select ok((tests.task_row(:'t1')).dispatched_at = now(), 'claim sets dispatched_at');
select is((tests.task_row(:'t1')).deadline_at, now() + interval '120 seconds', 'claim sets deadline_at = now() + timeout_seconds');
select is((tests.task_row(:'t1')).status, 'pending', 'a claimed task stays pending until the worker starts');
select is((select count(*)::int from tests.claim(:'t1') c where c.id is not null), 0, 'a dispatched task is not claimed again');

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

-- ── version and seq on every change ───────────────────────────────────────────
select tests.make_task() as tv \gset
select (tests.task_row(:'tv')).seq as seq0 \gset
select ok((tests.claim(:'tv')).id is not null, 'claim tv');
select is((tests.task_row(:'tv')).version, 2::bigint, 'claim bumps version 1 → 2');
select ok((tests.task_row(:'tv')).seq > :seq0, 'claim takes a larger seq');
select ok(public.task_start(:'tv', 1) is not null, 'call start on tv');
select is((tests.task_row(:'tv')).version, 3::bigint, 'start bumps version');
select ok(public.task_progress(:'tv', 1, 'p') is not null, 'call progress on tv');
select is((tests.task_row(:'tv')).version, 4::bigint, 'progress bumps version');
select ok(public.task_progress(:'tv', 9, 'stale') is not null, 'call progress on tv');
select is((tests.task_row(:'tv')).version, 4::bigint, 'an ignored call does not bump version');

-- ── fail: retryable with attempts left → pending with backoff ─────────────────
select tests.make_task(p_max_attempts => 3) as t2 \gset
select ok((tests.claim(:'t2')).id is not null, 'claim t2');
select ok(public.task_start(:'t2', 1) is not null, 'call start on t2');
select is(public.task_fail(:'t2', 1, 'llm_unavailable', 'the model did not answer', true, '{"status": 503}'), true,
  'fail (retryable) on the current attempt');
select is((tests.task_row(:'t2')).status, 'pending', 'retryable failure with attempts left → back to pending, never left in failed');
select is((tests.task_row(:'t2')).error, '{"code": "llm_unavailable", "message": "the model did not answer", "retryable": true, "details": {"status": 503}}'::jsonb,
  'the error stays on the row for the UI');
select ok((tests.task_row(:'t2')).next_attempt_at between now() + interval '1 second' and now() + interval '2 seconds',
  'next_attempt_at = now() + backoff(1) ∈ [1 s, 2 s]');
select ok((tests.task_row(:'t2')).dispatched_at is null and (tests.task_row(:'t2')).deadline_at is null, 'due for dispatch again (not dispatched, no deadline)');
select is((select count(*)::int from tests.claim(:'t2') c where c.id is not null), 0, 'not claimed before next_attempt_at');
select is(public.task_complete(:'t2', 1, '{}'), false, 'the failed attempt can no longer complete');
select tests.make_due(:'t2');
select is((tests.claim(:'t2')).attempt, 2, 'once due it is claimed as attempt 2');
select is(public.task_complete(:'t2', 1, '{}'), false, 'stale: attempt 1 reporting after attempt 2 was claimed is ignored');
select is(public.task_fail(:'t2', 1, 'x', 'x'), false, 'stale fail is ignored');
select is((tests.task_row(:'t2')).attempt || ' ' || (tests.task_row(:'t2')).status, '2 pending', 'stale calls changed nothing');
select is(public.task_start(:'t2', 2), true, 'attempt 2 starts');
select is(public.task_complete(:'t2', 2, '{"ok": true}'), true, 'attempt 2 completes');
select is((tests.task_row(:'t2')).error, null, 'completion clears the earlier attempt''s error');

-- ── fail: out of attempts / not retryable → failed ─────────────────────────────
select tests.make_task(p_max_attempts => 1) as t3 \gset
select ok((tests.claim(:'t3')).id is not null, 'claim t3');
select ok(public.task_start(:'t3', 1) is not null, 'call start on t3');
select is(public.task_fail(:'t3', 1, 'boom', 'it broke', true), true, 'fail on the last attempt');
select is((tests.task_row(:'t3')).status, 'failed', 'retryable but no attempts left → failed');
select ok((tests.task_row(:'t3')).finished_at is not null, 'failed sets finished_at');
select is(public.task_fail(:'t3', 1, 'again', 'again'), false, 'failed → fail again is refused');
select is(public.task_complete(:'t3', 1, '{}'), false, 'failed → complete is refused');
select is(public.task_cancel(:'t3', 1), false, 'failed → cancel is refused');

select tests.make_task(p_max_attempts => 5) as t4 \gset
select ok((tests.claim(:'t4')).id is not null, 'claim t4');
select is(public.task_fail(:'t4', 1, 'bad_input', 'cannot be done', false), true, 'non-retryable fail straight from a dispatched pending task');
select is((tests.task_row(:'t4')).status, 'failed', 'non-retryable → failed even with attempts left');
select is(((tests.task_row(:'t4')).error ->> 'retryable')::boolean, false, 'the error says it is not retryable');

-- ── user retry of a failed task ────────────────────────────────────────────────
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
select throws_ok(format('select public.request_task_cancel(%L)', :'t4'), 'P0002', 'task not found', 'request_task_cancel: someone else''s task → P0002');
select tests.clear_auth();
select throws_ok(format('select public.retry_task(%L)', :'t4'), '42501', null, 'retry_task without a user → 42501');

-- ── cancel ─────────────────────────────────────────────────────────────────────
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

-- ── claim: order, limit, kinds, attempts ───────────────────────────────────────
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
select tests.clear_auth();

select * from finish();
rollback;
