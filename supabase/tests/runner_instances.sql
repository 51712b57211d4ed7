-- Runner instances: heartbeat, claims recorded per instance, the sweep failing the attempts of
-- an instance that stopped heartbeating (worker_lost), and nobody else seeing any of it.
begin;
\ir helpers/setup.psql
select plan(74);

\set live '11111111-1111-4111-8111-111111111111'
\set dead '22222222-2222-4222-8222-222222222222'
\set gone '33333333-3333-4333-8333-333333333333'

-- Structure and hardening.
select has_table('app_internal', 'runner_instances', 'runner_instances exists');
select has_table('app_internal', 'task_claims', 'task_claims exists');
select ok((select relrowsecurity from pg_class where oid = 'app_internal.runner_instances'::regclass), 'RLS on runner_instances');
select ok((select relrowsecurity from pg_class where oid = 'app_internal.task_claims'::regclass), 'RLS on task_claims');
select is((select count(*)::int from pg_policies where schemaname = 'app_internal' and tablename in ('runner_instances', 'task_claims')),
  0, 'no policies on them: nobody but their owner sees a row');
select hasnt_column('public', 'async_tasks', 'claimed_by', 'async_tasks has no claimed_by column (visitors select every column)');
select is((select proconfig from pg_proc where oid = 'public.runner_heartbeat(uuid)'::regprocedure),
  array['search_path=""'], 'runner_heartbeat has an empty search_path');
select ok(has_function_privilege('async_worker', 'public.runner_heartbeat(uuid)', 'execute'), 'worker may heartbeat');
select ok(has_function_privilege('async_worker', 'public.runner_stopped(uuid)', 'execute'), 'worker may deregister');
select ok(not has_function_privilege('public', 'public.runner_heartbeat(uuid)', 'execute'), 'PUBLIC may not heartbeat');
select ok(not has_function_privilege('authenticated', 'public.runner_stopped(uuid)', 'execute'), 'visitors may not deregister');

-- Visitors: nothing.
select tests.authenticate_as_anon();
select throws_ok(format('select public.runner_heartbeat(%L)', :'live'), '42501', null, 'anon: runner_heartbeat refused');
select throws_ok('select * from app_internal.runner_instances', '42501', null, 'anon: runner_instances refused');
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok(format('select public.runner_heartbeat(%L)', :'live'), '42501', null, 'user: runner_heartbeat refused');
select throws_ok(format('select public.runner_stopped(%L)', :'live'), '42501', null, 'user: runner_stopped refused');
select throws_ok('select * from app_internal.runner_instances', '42501', null, 'user: runner_instances refused');
select throws_ok('select * from app_internal.task_claims', '42501', null, 'user: task_claims refused');
select throws_ok(format('select * from public.task_claim(1, null, %L)', :'live'), '42501', null, 'user: task_claim refused');
select tests.clear_auth();

-- The worker sees no rows either (only the functions).
select tests.authenticate_as_worker();
select throws_ok('select * from app_internal.runner_instances', '42501', null, 'worker: runner_instances refused');
select lives_ok(format('select public.runner_heartbeat(%L)', :'live'), 'worker: heartbeat');
select throws_ok('select public.runner_heartbeat(null)', '22023', 'runner instance id is required', 'a null instance is refused');
select tests.clear_auth();
select is((select count(*)::int from app_internal.runner_instances where id = :'live'), 1, 'the heartbeat created the instance row');

-- A heartbeat changes no task and sends no app_events: no seq moves (no counter, no task).
select tests.make_task() as hb_task \gset
select (select coalesce(sum(last_seq), 0) from app_internal.conversation_seq) + (select coalesce(sum(seq) + sum(version), 0) from public.async_tasks) as seq_before \gset
select tests.authenticate_as_worker();
select public.runner_heartbeat(:'live');
select tests.clear_auth();
select is((select coalesce(sum(last_seq), 0) from app_internal.conversation_seq) + (select coalesce(sum(seq) + sum(version), 0) from public.async_tasks),
  :'seq_before'::numeric, 'a heartbeat takes no seq (no task/message event)');
select is((select count(*)::int from pg_trigger where tgrelid in ('app_internal.runner_instances'::regclass, 'app_internal.task_claims'::regclass) and not tgisinternal),
  0, 'no triggers on the instance tables (no NOTIFY)');

-- Tasks: one per situation.
select tests.make_task() as live_task \gset
select tests.make_task() as dead_task \gset
select tests.make_task() as dead_pending \gset
select tests.make_task(p_max_attempts => 1) as dead_last \gset
select tests.make_task() as gone_task \gset
select tests.make_task() as n8n_task \gset
select tests.make_task() as dead_done \gset

select tests.authenticate_as_worker();
select is((select id from public.task_claim(1, array[(tests.task_row(:'live_task')).kind], :'live')), :'live_task'::uuid, 'claim with an instance');
select ok(public.task_start(:'live_task', 1), 'the live instance starts it');
select is((select id from public.task_claim(1, array[(tests.task_row(:'dead_task')).kind], :'dead')), :'dead_task'::uuid, 'the dead instance claims one');
select ok(public.task_start(:'dead_task', 1), 'and starts it');
select is((select id from public.task_claim(1, array[(tests.task_row(:'dead_pending')).kind], :'dead')), :'dead_pending'::uuid, 'and claims one it never starts');
select is((select id from public.task_claim(1, array[(tests.task_row(:'dead_last')).kind], :'dead')), :'dead_last'::uuid, 'and one on its last attempt');
select ok(public.task_start(:'dead_last', 1), 'started');
select is((select id from public.task_claim(1, array[(tests.task_row(:'dead_done')).kind], :'dead')), :'dead_done'::uuid, 'and one it finished');
select ok(public.task_complete(:'dead_done', 1, '{}'), 'completed');
select is((select id from public.task_claim(1, array[(tests.task_row(:'gone_task')).kind], :'gone')), :'gone_task'::uuid, 'a third instance claims one');
select ok(public.task_start(:'gone_task', 1), 'and starts it');
-- Without an instance (the n8n dispatcher).
select is((tests.claim(:'n8n_task')).id, :'n8n_task'::uuid, 'claim without an instance (two arguments)');
select ok(public.task_start(:'n8n_task', 1), 'n8n starts it');
select tests.clear_auth();

select is((select instance_id from app_internal.task_claims where task_id = :'live_task'), :'live'::uuid, 'the claim records the instance');
select is((select attempt from app_internal.task_claims where task_id = :'dead_task'), 1, 'and the attempt');
select is((select count(*)::int from app_internal.task_claims where task_id = :'n8n_task'), 0, 'a claim without instance records none');
select is((select count(*)::int from app_internal.runner_instances where id = :'dead'), 1, 'claiming registered the instance');

-- The dead instance stopped heartbeating 40 s ago; the gone one shut down (row deleted) without
-- releasing its task; the live one just heartbeated.
update app_internal.runner_instances set heartbeat_at = now() - interval '40 seconds' where id = :'dead';
select tests.authenticate_as_worker();
select is(public.runner_stopped(:'gone'), true, 'the gone instance deregisters');
select is(public.runner_stopped(:'gone'), false, 'twice: nothing to delete');
select public.runner_heartbeat(:'live');
select tests.clear_auth();
select (tests.task_row(:'live_task')).version as live_version \gset
select (tests.task_row(:'n8n_task')).version as n8n_version \gset

-- A threshold above the silence: nothing is lost.
select tests.authenticate_as_worker();
select is(public.task_sweep(30, 60) ->> 'lost', '1', '60 s threshold: only the task of the deregistered instance is lost');
select tests.clear_auth();
select is((tests.task_row(:'dead_task')).status, 'processing', 'the dead instance''s task waits while under the threshold');
select is((tests.task_row(:'gone_task')).status, 'pending', 'the deregistered instance''s task is handed out again');
select is((tests.task_row(:'gone_task')).error ->> 'code', 'worker_lost', 'with code worker_lost');

-- The default 30 s threshold.
select tests.authenticate_as_worker();
select public.task_sweep() as swept \gset
select tests.clear_auth();
select is((:'swept'::jsonb ->> 'lost')::int, 3, 'the sweep reports the 3 lost attempts of the dead instance');
select is((tests.task_row(:'dead_task')).status, 'pending', 'dead instance''s task → pending (retry)');
select is((tests.task_row(:'dead_task')).error ->> 'code', 'worker_lost', 'error code worker_lost');
select is((tests.task_row(:'dead_task')).error ->> 'retryable', 'true', 'retryable');
select is((tests.task_row(:'dead_task')).attempt, 1, 'it counts as attempt 1');
select ok((tests.task_row(:'dead_task')).next_attempt_at > now(), 'with backoff');
select ok((tests.task_row(:'dead_task')).dispatched_at is null, 'due for dispatch again');
select is((tests.task_row(:'dead_pending')).status, 'pending', 'a dispatched, never started task of the dead instance → pending');
select ok((tests.task_row(:'dead_pending')).dispatched_at is null, 'and handed out again');
select is((tests.task_row(:'dead_last')).status, 'failed', 'on its last attempt → failed');
select is((tests.task_row(:'dead_last')).error ->> 'code', 'worker_lost', 'failed with worker_lost');
select is((tests.task_row(:'dead_done')).status, 'completed', 'a finished task of the dead instance is untouched');
select is((tests.task_row(:'live_task')).status, 'processing', 'the live instance''s task is untouched');
select is((tests.task_row(:'live_task')).version, :'live_version'::bigint, '(not even its version)');
select is((tests.task_row(:'n8n_task')).status, 'processing', 'a task claimed without instance is left to its deadline');
select is((tests.task_row(:'n8n_task')).version, :'n8n_version'::bigint, '(unchanged)');

-- The presumed-lost worker's late reports for the old attempt are refused.
select tests.authenticate_as_worker();
select is(public.task_progress(:'dead_task', 1, 'still here'), false, 'late task_progress refused');
select is(public.task_complete(:'dead_task', 1, '{"content":"late"}'), false, 'late task_complete refused');
select is(public.task_fail(:'dead_task', 1, 'x', 'y'), false, 'late task_fail refused');
select tests.clear_auth();
select is((select count(*)::int from public.chat_messages where async_task_id = :'dead_task'::uuid), 0, 'no reply written');

-- Claim rows of ended attempts are cleaned up; the live ones stay.
select is((select array_agg(task_id order by task_id) from app_internal.task_claims where task_id in
  (:'live_task', :'dead_task', :'dead_pending', :'dead_last', :'dead_done', :'gone_task')),
  array[:'live_task'::uuid], 'only the live attempt''s claim row remains');

-- Attempt 2 by the live instance: recorded anew; the dead instance's old claim plays no part.
select tests.make_due(:'dead_task');
select tests.authenticate_as_worker();
select is((select attempt from public.task_claim(1, array[(tests.task_row(:'dead_task')).kind], :'live')), 2, 'attempt 2 claimed by the live instance');
select ok(public.task_start(:'dead_task', 2), 'and started');
select is(public.task_sweep() ->> 'lost', '0', 'a sweep now loses nothing');
select ok(public.task_complete(:'dead_task', 2, '{}'), 'attempt 2 completes');
select tests.clear_auth();

-- Instances silent for over an hour are deleted.
update app_internal.runner_instances set heartbeat_at = now() - interval '2 hours' where id = :'dead';
select tests.authenticate_as_worker();
select public.task_sweep();
select tests.clear_auth();
select is((select count(*)::int from app_internal.runner_instances where id = :'dead'), 0, 'a long-dead instance row is pruned');
select is((select count(*)::int from app_internal.runner_instances where id = :'live'), 1, 'the live one stays');

select * from finish();
rollback;
