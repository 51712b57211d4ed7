-- Replies in one conversation are made one at a time, in the order they were asked (task_claim),
-- and each reply's worker reads the conversation so far (conversation_history).
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(10);
-- The fixture tasks are chat.reply too: keep them out of this file's claims.
update public.async_tasks set next_attempt_at = now() + interval '1 day' where idempotency_key like 'fixture-%';

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message(null, 'First question', 'order-1') as first \gset
select public.send_chat_message((:'first'::jsonb ->> 'conversation_id')::uuid, 'Second question', 'order-2') as second \gset
select public.send_chat_message(null, 'Another conversation', 'order-3') as other \gset
select tests.clear_auth();
-- One transaction gives the three the same created_at: space them as separate sends would be.
update public.async_tasks set created_at = created_at + interval '1 second' where id = (:'second'::jsonb #>> '{task,id}')::uuid;
update public.async_tasks set created_at = created_at + interval '2 seconds' where id = (:'other'::jsonb #>> '{task,id}')::uuid;

select tests.authenticate_as_worker();
select array_agg(id order by created_at) as claimed from public.task_claim(10, array['chat.reply']) \gset
select is(:'claimed'::uuid[],
  array[(:'first'::jsonb #>> '{task,id}')::uuid, (:'other'::jsonb #>> '{task,id}')::uuid],
  'the first reply of each conversation is claimed; the second waits for the first');
select is((select count(*)::int from public.task_claim(10, array['chat.reply'])), 0, 'nothing else is due while the first is in flight');

-- A retryable failure keeps the first in the conversation's queue (pending with backoff).
select ok(public.task_fail((:'first'::jsonb #>> '{task,id}')::uuid, 1, 'llm_unavailable', 'try later', true), 'the first fails, retryable');
select is((select count(*)::int from public.task_claim(10, array['chat.reply'])), 0, 'the second still waits while the first will be retried');

select tests.make_due((:'first'::jsonb #>> '{task,id}')::uuid);
select is((select array_agg(id) from public.task_claim(10, array['chat.reply'])),
  array[(:'first'::jsonb #>> '{task,id}')::uuid], 'the retry of the first comes before the second');
select ok(public.task_complete((:'first'::jsonb #>> '{task,id}')::uuid, 2, '{"content":"First answer"}'), 'the first completes');
select is((select array_agg(id) from public.task_claim(10, array['chat.reply'])),
  array[(:'second'::jsonb #>> '{task,id}')::uuid], 'then the second is claimed');
select is((select array_agg(role || ':' || content order by seq) from public.conversation_history((:'first'::jsonb ->> 'conversation_id')::uuid)),
  array['user:First question', 'user:Second question', 'assistant:First answer'],
  'and its worker reads a history that includes the first answer');
select tests.clear_auth();

-- ── conversation_history: the last p_limit messages, oldest first ─────────────
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message(null, 'What is pgTAP?', 'history-1') as asked \gset
select public.send_chat_message((:'asked'::jsonb ->> 'conversation_id')::uuid, 'And a follow-up', 'history-2') as followed \gset
select tests.clear_auth();
select tests.authenticate_as_worker();
select results_eq(format('select role, content from public.conversation_history(%L)', :'asked'::jsonb ->> 'conversation_id'),
  $$values ('user'::text, 'What is pgTAP?'::text), ('user', 'And a follow-up')$$, 'the worker reads the history, oldest first');
select results_eq(format('select content from public.conversation_history(%L, 1)', :'asked'::jsonb ->> 'conversation_id'),
  $$values ('And a follow-up'::text)$$, 'conversation_history keeps the last p_limit messages');
select tests.clear_auth();

select * from finish();
rollback;
