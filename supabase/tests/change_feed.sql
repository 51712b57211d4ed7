-- The change feed: every applied change of a task bumps its version and takes a larger seq;
-- an ignored call bumps nothing; every chat message has its own seq (the SSE event id), counted
-- per conversation: unique within one, shared values across conversations, and a conversation's
-- values move only with its own writes.
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(24);

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

-- ── seq on chat rows: one counter per conversation ────────────────────────────
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message(null, 'What is pgTAP?', 'send-1') as first \gset
select public.send_chat_message((:'first'::jsonb ->> 'conversation_id')::uuid, 'And a follow-up', 'send-2') as second \gset
select tests.clear_auth();
select ok((select bool_and(seq is not null) from public.chat_messages), 'every message has a seq');
select is((select count(*)::int from (select conversation_id, seq from public.chat_messages group by 1, 2 having count(*) > 1) d),
  0, 'seq values are unique within a conversation');
select is((select count(*)::int from (select conversation_id, seq from (
    select conversation_id, seq from public.chat_messages
    union all select conversation_id, seq from public.async_tasks where conversation_id is not null) r
  group by 1, 2 having count(*) > 1) d),
  0, 'messages and tasks of a conversation never share a seq');
-- The fixtures wrote the same rows into three conversations: the same values, one counter each.
select is((select count(distinct seq)::int from public.chat_messages where id in (
    'a2000000-0000-4000-8000-00000000000a', 'b2000000-0000-4000-8000-00000000000b', 'c2000000-0000-4000-8000-00000000000c')),
  1, 'conversations share seq values: each counts its own writes');
select is(((:'first'::jsonb -> 'task' ->> 'seq')::bigint, (:'first'::jsonb -> 'message' ->> 'seq')::bigint,
           (:'second'::jsonb -> 'task' ->> 'seq')::bigint, (:'second'::jsonb -> 'message' ->> 'seq')::bigint)::text,
  '(1,2,3,4)', 'a new conversation counts from 1: task, message, task, message');

-- Writes elsewhere do not move a conversation's counter.
select last_seq as a_before from app_internal.conversation_seq where conversation_id = 'a0000000-0000-4000-8000-00000000000a' \gset
select tests.authenticate_as('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
select public.send_chat_message('b0000000-0000-4000-8000-00000000000b', 'B is busy', 'b-send-' || n) from generate_series(1, 5) n;
select tests.clear_auth();
select tests.authenticate_as_worker();
select public.task_progress(:'tv', 1, 'another visitor''s task moves');
select tests.clear_auth();
select is((select last_seq from app_internal.conversation_seq where conversation_id = 'a0000000-0000-4000-8000-00000000000a'),
  :'a_before'::bigint, 'another conversation''s writes and a task without a conversation leave this counter alone');
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message('a0000000-0000-4000-8000-00000000000a', 'A again', 'a-again') as again \gset
select tests.clear_auth();
select is((:'again'::jsonb -> 'message' ->> 'seq')::bigint, :'a_before'::bigint + 2,
  'the next message of a conversation is its counter + 2 (its task, then itself), whatever happened elsewhere');

-- ── a task without a conversation counts on its own ───────────────────────────
select tests.make_task() as solo \gset
select is((tests.task_row(:'solo')).seq, 1::bigint, 'a task without a conversation starts at seq 1');
select tests.authenticate_as_worker();
select ok((tests.claim(:'solo')).id is not null, 'claim solo');
select tests.clear_auth();
select is((tests.task_row(:'solo')).seq, 2::bigint, 'and takes its previous seq + 1 on every change');

-- ── the counters are internal ──────────────────────────────────────────────────
select ok((select relrowsecurity from pg_class where oid = 'app_internal.conversation_seq'::regclass), 'RLS on conversation_seq');
select is((select count(*)::int from information_schema.role_table_grants
            where table_schema = 'app_internal' and table_name = 'conversation_seq'
              and grantee in ('anon', 'authenticated', 'service_role', 'async_worker', 'PUBLIC')),
  0, 'no API role has any privilege on conversation_seq');
select hasnt_sequence('public', 'app_change_seq', 'no sequence shared by every tenant');
select is((select count(*)::int from app_internal.conversation_seq), (select count(*)::int from public.conversations),
  'every conversation has its counter');
delete from public.conversations where id = 'c0000000-0000-4000-8000-00000000000c';
select is((select count(*)::int from app_internal.conversation_seq where conversation_id = 'c0000000-0000-4000-8000-00000000000c'),
  0, 'a deleted conversation takes its counter (and its rows) with it');

select * from finish();
rollback;
