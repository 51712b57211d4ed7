-- task_fail: a retryable failure with attempts left goes back to pending after a backoff (the
-- error stays on the row), otherwise → failed; only for the current attempt. task_backoff:
-- base 2 s doubling per attempt, capped at 5 min, jittered within [delay/2, delay].
begin;
\ir helpers/setup.psql
select plan(47);
select tests.authenticate_as_worker();

-- ── retryable with attempts left → pending with backoff ───────────────────────
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

select tests.clear_auth();

-- ── task_backoff(attempt) ─────────────────────────────────────────────────────
create temp table samples as
  select a as attempt, extract(epoch from public.task_backoff(a)) as seconds,
         least(300.0, 2.0 * power(2.0, a - 1)) as delay
    from generate_series(1, 12) a, generate_series(1, 300);

select is(
  (select count(*)::int from samples where seconds < delay / 2 or seconds > delay),
  0, 'every sampled backoff for attempts 1..12 lies within [delay/2, delay]');

select ok(s.lo >= d.delay / 2 and s.hi <= d.delay,
  format('attempt %s: %s..%s s within [%s s, %s s]', d.attempt, round(s.lo::numeric, 2), round(s.hi::numeric, 2),
         (d.delay / 2)::numeric, d.delay::numeric))
  from (select distinct attempt, delay from samples) d
  cross join lateral (select min(seconds) lo, max(seconds) hi from samples x where x.attempt = d.attempt) s
  order by d.attempt;

select is((select max(seconds) <= 300 from samples), true, 'the cap of 5 minutes holds for every attempt');
select ok((select max(seconds) > 150 from samples where attempt >= 9), 'the capped attempts reach above the half cap');
select ok((select count(distinct round(seconds::numeric, 3)) > 100 from samples where attempt = 8), 'the delay is jittered (not a constant)');
select ok(extract(epoch from public.task_backoff(100)) between 150 and 300, 'a huge attempt number stays capped (no overflow)');
select ok(extract(epoch from public.task_backoff(0)) between 1 and 2, 'attempt 0 counts as attempt 1');
select ok(extract(epoch from public.task_backoff(null)) between 1 and 2, 'a null attempt counts as attempt 1');

select * from finish();
rollback;
