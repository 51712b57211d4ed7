-- task_fail_execution: n8n's error handler fails a task knowing only the execution id, and only
-- the live attempt that execution works on.
begin;
\ir helpers/setup.psql
select plan(21);
select tests.authenticate_as_worker();

select tests.make_task(p_max_attempts => 2) as e1 \gset
select ok((tests.claim(:'e1')).id is not null, 'claim e1');
select ok(public.task_start(:'e1', 1, 'n8n-exec-1'), 'attempt 1 runs as execution n8n-exec-1');
select is(public.task_fail_execution('n8n-exec-404', 'crash', 'x'), false, 'an unknown execution id → false');
select is(public.task_fail_execution(null, 'crash', 'x'), false, 'a null execution id → false');
select is(public.task_fail_execution('n8n-exec-1', 'workflow_error', 'Node "LLM" failed', true, '{"node": "LLM"}'), true,
  'the execution''s task is failed');
select is((tests.task_row(:'e1')).status || ' ' || ((tests.task_row(:'e1')).error ->> 'code'), 'pending workflow_error',
  'retryable with attempts left → pending with the error');
select is((tests.task_row(:'e1')).error -> 'details', '{"node": "LLM"}'::jsonb, 'details are kept');
select is(public.task_fail_execution('n8n-exec-1', 'crash', 'again'), false, 'a second report for the same execution → false');

select tests.make_due(:'e1');
select is((tests.claim(:'e1')).execution_id, null, 'a new claim clears the old attempt''s execution id');
select is(public.task_fail_execution('n8n-exec-1', 'crash', 'late'), false, 'the old execution cannot fail the new attempt');
select ok(public.task_start(:'e1', 2, 'n8n-exec-2'), 'attempt 2 runs as execution n8n-exec-2');
select is(public.task_fail_execution('n8n-exec-2', 'crash', 'boom', true), true, 'attempt 2 fails by its execution id');
select is((tests.task_row(:'e1')).status, 'failed', 'no attempts left → failed');
select is(public.task_fail_execution('n8n-exec-2', 'crash', 'boom'), false, 'a failed task is not failed again');

select tests.make_task() as e2 \gset
select ok((tests.claim(:'e2')).id is not null, 'claim e2');
select ok(public.task_start(:'e2', 1, 'n8n-exec-3'), 'e2 runs as n8n-exec-3');
select ok(public.task_complete(:'e2', 1, '{}'), 'e2 completes');
select is(public.task_fail_execution('n8n-exec-3', 'crash', 'x'), false, 'a completed task is not failed');
select tests.clear_auth();

select ok(has_function_privilege('async_worker', 'public.task_fail_execution(text,text,text,boolean,jsonb)', 'execute'), 'the worker may call it');
select ok(not has_function_privilege('authenticated', 'public.task_fail_execution(text,text,text,boolean,jsonb)', 'execute'), 'visitors may not');
select ok(not has_function_privilege('anon', 'public.task_fail_execution(text,text,text,boolean,jsonb)', 'execute'), 'anon may not');

select * from finish();
rollback;
