-- task_conversation_history: the history a task's live attempt answers, found from the task
-- alone (its own conversation_id column): oldest first, the last p_limit, without the questions
-- asked after the task's own (each is for a later task) and their replies; nothing for an
-- attempt that is not live, an unknown task or a task without a conversation. The prompt
-- budget (p_max_chars): newest first, no gaps, the answered question always in and whole.
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(24);
-- The fixture tasks are chat.reply too: keep them out of this file's claims.
update public.async_tasks set next_attempt_at = now() + interval '1 day' where idempotency_key like 'fixture-%';

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message(null, 'Q1', 'hist-1') as first \gset
select public.send_chat_message((:'first'::jsonb ->> 'conversation_id')::uuid, 'Q2', 'hist-2') as second \gset
select throws_ok(format('select * from public.task_conversation_history(%L, 1)', :'first'::jsonb #>> '{task,id}'),
  '42501', 'permission denied for function task_conversation_history', 'a visitor may not call it');
select tests.clear_auth();
-- One transaction gives both the same created_at: space them as separate sends would be.
update public.async_tasks set created_at = created_at + interval '1 second' where id = (:'second'::jsonb #>> '{task,id}')::uuid;
select (:'first'::jsonb #>> '{task,id}') as t1, (:'second'::jsonb #>> '{task,id}') as t2 \gset

select tests.authenticate_as_worker();
select is((select count(*)::int from public.task_conversation_history(:'t1', 0)), 0, 'nothing before the task is claimed');
select is((select array_agg(id) from public.task_claim(10, array['chat.reply'])), array[:'t1'::uuid], 'the first question is claimed');
select is((select array_agg(content) from public.task_conversation_history(:'t1', 1)), array['Q1'],
  'its history stops at its own question: Q2 is for the next task');
select is((select count(*)::int from public.task_conversation_history(:'t1', 2)), 0, 'nothing for another attempt number');
select is((select count(*)::int from public.task_conversation_history(gen_random_uuid(), 1)), 0, 'nothing for an unknown task');

-- The first fails for good; the second is answered; then the first is retried.
select ok(public.task_fail(:'t1', 1, 'llm_rejected', 'no', false), 'the first fails, not retryable');
select is((select array_agg(id) from public.task_claim(10, array['chat.reply'])), array[:'t2'::uuid], 'the second is claimed');
select is((select array_agg(content) from public.task_conversation_history(:'t2', 1)), array['Q1', 'Q2'],
  'its history has the earlier question and its own');
select ok(public.task_complete(:'t2', 1, '{"content": "A2"}'), 'the second is answered');
select is((select count(*)::int from public.task_conversation_history(:'t2', 1)), 0, 'nothing once the attempt is finished');
select tests.clear_auth();

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.retry_task(:'t1') is not null as retried \gset
select tests.clear_auth();
select tests.authenticate_as_worker();
select tests.claim(:'t1') is not null as claimed \gset
select is((select array_agg(content) from public.task_conversation_history(:'t1', 2)), array['Q1'],
  'the retried first answers Q1 alone: Q2 and its reply A2 came after it');
select tests.clear_auth();

-- p_limit: the last messages. A note after the question that is not a question stays in.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message(null, 'M1', 'hist-3') as third \gset
select tests.clear_auth();
insert into public.chat_messages (conversation_id, owner_id, role, content) values
  ((:'third'::jsonb ->> 'conversation_id')::uuid, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'system', 'S1');
select tests.authenticate_as_worker();
select tests.claim((:'third'::jsonb #>> '{task,id}')::uuid) is not null as claimed3 \gset
select is((select array_agg(content) from public.task_conversation_history((:'third'::jsonb #>> '{task,id}')::uuid, 1, 1)), array['S1'],
  'p_limit keeps the last messages');
select tests.make_task() as generic \gset
select tests.claim(:'generic') is not null as claimed_generic \gset
select is((select count(*)::int from public.task_conversation_history(:'generic', 1)), 0, 'nothing for a task without a conversation');
select tests.clear_auth();

-- p_max_chars: the prompt budget. A 100-character question, its 200-character answer, then a
-- 300-character question whose task reads the history.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message(null, repeat('a', 100), 'budget-1') as b1 \gset
select tests.clear_auth();
select tests.authenticate_as_worker();
select tests.claim((:'b1'::jsonb #>> '{task,id}')::uuid) is not null as claimed_b1 \gset
select ok(public.task_complete((:'b1'::jsonb #>> '{task,id}')::uuid, 1, jsonb_build_object('content', repeat('b', 200))),
  'the first question is answered with 200 characters');
select tests.clear_auth();
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select public.send_chat_message((:'b1'::jsonb ->> 'conversation_id')::uuid, repeat('c', 300), 'budget-2') as b2 \gset
select tests.clear_auth();
select (:'b2'::jsonb #>> '{task,id}') as tb \gset
select tests.authenticate_as_worker();
select tests.claim(:'tb') is not null as claimed_tb \gset
select is((select array_agg(char_length(content)) from public.task_conversation_history(:'tb', 1)), array[100, 200, 300],
  'the default budget (24000) takes the whole short conversation');
select is((select array_agg(char_length(content)) from public.task_conversation_history(:'tb', 1, 50, null)), array[100, 200, 300],
  'null is the default budget');
select is((select array_agg(char_length(content)) from public.task_conversation_history(:'tb', 1, 50, 600)), array[100, 200, 300],
  'a budget of exactly the total takes all');
select is((select array_agg(char_length(content)) from public.task_conversation_history(:'tb', 1, 50, 599)), array[200, 300],
  'one character less drops the oldest: the newest are kept');
select is((select array_agg(char_length(content)) from public.task_conversation_history(:'tb', 1, 50, 499)), array[300],
  'the answer no longer fits, and nothing older is taken past it (no gaps)');
select is((select array_agg(char_length(content)) from public.task_conversation_history(:'tb', 1, 50, 100)), array[300],
  'the question the task answers is always in, whole, even over the budget');
select is((select array_agg(char_length(content)) from public.task_conversation_history(:'tb', 1, 50, 0)), array[300],
  'a budget of 0 sends the question alone');
select is((select array_agg(char_length(content)) from public.task_conversation_history(:'tb', 1, 2, 24000)), array[200, 300],
  'p_limit still bounds the count within the budget');
select is((select count(*)::int from public.task_conversation_history(:'tb', 2, 50, 24000)), 0,
  'still nothing for an attempt that is not live');
select tests.clear_auth();

select * from finish();
rollback;
