-- The change feed: every applied change of a task bumps its version and takes a larger seq;
-- an ignored call bumps nothing; every chat message has its own seq (the SSE event id).
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(11);

-- ── version and seq on every change of a task ─────────────────────────────────
select tests.authenticate_as_worker();
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
select tests.clear_auth();

-- ── seq on chat rows ───────────────────────────────────────────────────────────
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message(null, 'What is pgTAP?', 'send-1') as first \gset
select public.send_chat_message((:'first'::jsonb ->> 'conversation_id')::uuid, 'And a follow-up', 'send-2') as second \gset
select tests.clear_auth();
select ok((select bool_and(seq is not null) from public.chat_messages), 'every message has a seq');
select is((select count(distinct seq) from public.chat_messages), (select count(*) from public.chat_messages), 'seq values are unique');

select * from finish();
rollback;
