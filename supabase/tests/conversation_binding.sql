-- Conversation binding: a chat task reads and writes only its own conversation, and that
-- conversation is its owner's. The attack it closes: visitor A makes a chat.reply that names
-- visitor B's conversation (in the column, or only in the input with the column left null), so
-- that the worker sends B's history to the model, the reply lands in A's task result and an
-- assistant message owned by A is written into B's conversation.
--   the chat. kinds are reserved for send_chat_message: no direct insert (policy), no create_task
--   a chat task has its conversation in its own column, of its own owner, and its input names no
--   other (constraints: whoever writes, service_role included)
--   task_complete and task_conversation_history use only the column (proved here with the
--   constraints lifted, inside this rolled-back transaction)
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(29);

\set user_a aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa
\set user_b bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb
\set conv_a a0000000-0000-4000-8000-00000000000a
\set conv_b b0000000-0000-4000-8000-00000000000b
\set task_a a1000000-0000-4000-8000-00000000000a
select jsonb_build_object('conversation_id', :'conv_b', 'message_id', 'b2000000-0000-4000-8000-00000000000b') as input_b \gset

-- ── A, signed in (forged claims, as PostgREST sets them), by direct insert ─────
select tests.authenticate_as(:'user_a');
select throws_ok(format('insert into public.async_tasks (kind, input) values (''chat.reply'', %L)', :'input_b'),
  '42501', 'new row violates row-level security policy for table "async_tasks"',
  'insert: a chat.reply without a conversation, its input naming B''s → refused');
select throws_ok(format('insert into public.async_tasks (kind, conversation_id, input) values (''chat.reply'', %L, %L)', :'conv_b', :'input_b'),
  '42501', 'new row violates row-level security policy for table "async_tasks"',
  'insert: a chat.reply with B''s conversation in the column → refused');
select throws_ok(format('insert into public.async_tasks (kind, conversation_id, input) values (''chat.reply'', %L, %L)', :'conv_a', :'input_b'),
  '42501', 'new row violates row-level security policy for table "async_tasks"',
  'insert: a chat.reply in A''s conversation whose input names B''s → refused');
select throws_ok(format('insert into public.async_tasks (kind, conversation_id, input) values (''chat.reply'', %L, %L)',
    :'conv_a', jsonb_build_object('conversation_id', :'conv_a')),
  '42501', 'new row violates row-level security policy for table "async_tasks"',
  'insert: even a consistent chat.reply → refused (only send_chat_message makes one)');
select throws_ok('insert into public.async_tasks (kind) values (''chat.summary'')',
  '42501', 'new row violates row-level security policy for table "async_tasks"',
  'insert: any kind of the chat. namespace → refused');

-- ── … and through create_task ──────────────────────────────────────────────────
select throws_ok(format('select public.create_task(''chat.reply'', %L, ''attack-1'')', :'input_b'),
  '22023', 'task kind "chat.reply" is reserved (the chat. kinds): chat replies are made by send_chat_message',
  'create_task: a chat.reply without a conversation, its input naming B''s → 22023');
select throws_ok(format('select public.create_task(''chat.reply'', %L, ''attack-2'', 3, 120, %L)', :'input_b', :'conv_b'),
  '22023', 'task kind "chat.reply" is reserved (the chat. kinds): chat replies are made by send_chat_message',
  'create_task: a chat.reply naming B''s conversation → 22023 (the same answer as for any conversation: no existence leak)');
select throws_ok(format('select public.create_task(''chat.reply'', %L, ''attack-3'', 3, 120, %L)', :'input_b', :'conv_a'),
  '22023', 'task kind "chat.reply" is reserved (the chat. kinds): chat replies are made by send_chat_message',
  'create_task: a chat.reply in A''s conversation whose input names B''s → 22023');
select lives_ok(format('select public.create_task(''demo.echo'', %L, ''attack-4'')', :'input_b'),
  'create_task: a generic task may carry any input (it is opaque: nothing reads a conversation from it)');
select tests.clear_auth();

select is((select count(*)::int from public.async_tasks where owner_id = :'user_a' and starts_with(kind, 'chat.')), 1,
  'A has no chat task but the fixture''s');
select is((select count(*)::int from public.async_tasks
            where (conversation_id = :'conv_b' or input ->> 'conversation_id' = :'conv_b') and starts_with(kind, 'chat.')), 1,
  'the only chat task naming B''s conversation is B''s own');

-- ── the legitimate path still works ────────────────────────────────────────────
-- The fixtures' chat.reply tasks stay out of this file's claims.
update public.async_tasks set next_attempt_at = now() + interval '1 day' where idempotency_key like 'fixture-%';
select tests.authenticate_as(:'user_a');
select public.send_chat_message(null, 'A question of A', 'legit-1') as sent \gset
select tests.clear_auth();
select is(((:'sent'::jsonb #>> '{task,conversation_id}') = (:'sent'::jsonb ->> 'conversation_id'))
          and ((:'sent'::jsonb #>> '{task,input,conversation_id}') = (:'sent'::jsonb ->> 'conversation_id')), true,
  'send_chat_message: the chat.reply has its conversation in the column (and the input repeats it)');
select tests.authenticate_as_worker();
select is((select array_agg(id) from public.task_claim(10, array['chat.reply'])), array[(:'sent'::jsonb #>> '{task,id}')::uuid],
  'the worker claims it');
select is((select array_agg(content) from public.task_conversation_history((:'sent'::jsonb #>> '{task,id}')::uuid, 1)),
  array['A question of A'], 'its history is A''s conversation');
select ok(public.task_complete((:'sent'::jsonb #>> '{task,id}')::uuid, 1, '{"content": "An answer for A"}'), 'it completes');
select tests.clear_auth();
select is((select owner_id::text || ' ' || conversation_id::text from public.chat_messages
            where async_task_id = (:'sent'::jsonb #>> '{task,id}')::uuid and role = 'assistant'),
  :'user_a' || ' ' || (:'sent'::jsonb ->> 'conversation_id'), 'the reply is A''s, in A''s conversation');

-- ── service_role (BYPASSRLS) cannot make the inconsistent row either ──────────
select tests.authenticate_as_service_role();
select throws_ok(format('insert into public.async_tasks (owner_id, kind, input) values (%L, ''chat.reply'', %L)', :'user_a', :'input_b'),
  '23514', 'new row for relation "async_tasks" violates check constraint "async_tasks_chat_kind_has_conversation"',
  'service_role: a chat.reply without a conversation → 23514');
select throws_ok(format('insert into public.async_tasks (owner_id, conversation_id, kind) values (%L, %L, ''chat.reply'')', :'user_a', :'conv_b'),
  '23503', 'insert or update on table "async_tasks" violates foreign key constraint "async_tasks_conversation_belongs_to_owner"',
  'service_role: A''s chat.reply in B''s conversation → 23503');
select throws_ok(format('insert into public.async_tasks (owner_id, conversation_id, kind, input) values (%L, %L, ''chat.reply'', %L)', :'user_a', :'conv_a', :'input_b'),
  '23514', 'new row for relation "async_tasks" violates check constraint "async_tasks_chat_input_names_own_conversation"',
  'service_role: a chat.reply whose input names another conversation → 23514');
select throws_ok(format('update public.async_tasks set conversation_id = %L where id = %L', :'conv_b', :'task_a'),
  '23503', 'insert or update on table "async_tasks" violates foreign key constraint "async_tasks_conversation_belongs_to_owner"',
  'service_role: moving A''s chat task into B''s conversation → 23503');
select throws_ok(format('update public.async_tasks set owner_id = %L where id = %L', :'user_b', :'task_a'),
  '23503', 'insert or update on table "async_tasks" violates foreign key constraint "async_tasks_conversation_belongs_to_owner"',
  'service_role: giving A''s chat task (in A''s conversation) to B → 23503');
select throws_ok(format('update public.async_tasks set conversation_id = null where id = %L', :'task_a'),
  '23514', 'new row for relation "async_tasks" violates check constraint "async_tasks_chat_kind_has_conversation"',
  'service_role: taking a chat task''s conversation away → 23514');
select throws_ok(format('insert into public.chat_messages (conversation_id, owner_id, role, content) values (%L, %L, ''assistant'', ''planted'')', :'conv_b', :'user_a'),
  '23503', 'insert or update on table "chat_messages" violates foreign key constraint "chat_messages_conversation_belongs_to_owner"',
  'service_role: a message of A in B''s conversation → 23503');
select lives_ok(format('insert into public.async_tasks (owner_id, conversation_id, kind, input) values (%L, %L, ''chat.reply'', %L)', :'user_b', :'conv_b', :'input_b'),
  'service_role: a consistent chat.reply (B''s, in B''s conversation) is accepted');
-- A conversation moved to another owner takes its tasks and messages along.
insert into public.conversations (id, owner_id) values ('d0000000-0000-4000-8000-00000000000d', :'user_b');
insert into public.async_tasks (id, owner_id, conversation_id, kind) values
  ('d1000000-0000-4000-8000-00000000000d', :'user_b', 'd0000000-0000-4000-8000-00000000000d', 'chat.reply');
insert into public.chat_messages (conversation_id, owner_id, role, content, async_task_id) values
  ('d0000000-0000-4000-8000-00000000000d', :'user_b', 'user', 'moved', 'd1000000-0000-4000-8000-00000000000d');
update public.conversations set owner_id = :'user_a' where id = 'd0000000-0000-4000-8000-00000000000d';
select is((select array_agg(distinct owner_id) from (
    select owner_id from public.async_tasks where conversation_id = 'd0000000-0000-4000-8000-00000000000d'
    union all select owner_id from public.chat_messages where conversation_id = 'd0000000-0000-4000-8000-00000000000d') rows),
  array[:'user_a'::uuid], 'service_role: moving a conversation to another owner moves its task and message along');
select tests.clear_auth();

-- ── the functions use only the column, even where the constraints were lifted ─
alter table public.async_tasks
  drop constraint async_tasks_chat_kind_has_conversation,
  drop constraint async_tasks_chat_input_names_own_conversation;
update public.async_tasks set next_attempt_at = now() + interval '1 day' where status = 'pending' and dispatched_at is null;
insert into public.async_tasks (id, owner_id, kind, input) values
  ('e1000000-0000-4000-8000-00000000000e', :'user_a', 'chat.reply', :'input_b');
select tests.authenticate_as_worker();
select is((select array_agg(id) from public.task_claim(10, array['chat.reply'])), array['e1000000-0000-4000-8000-00000000000e'::uuid],
  'a chat.reply without a conversation, its input naming B''s, was claimed');
select is((select count(*)::int from public.task_conversation_history('e1000000-0000-4000-8000-00000000000e', 1)), 0,
  'task_conversation_history reads nothing: the task has no conversation of its own (the input is not one)');
select throws_ok($$select public.task_complete('e1000000-0000-4000-8000-00000000000e', 1, '{"content": "planted"}')$$,
  '23502', null, 'task_complete writes no reply: the task has no conversation to write into (the input is not one)');
select tests.clear_auth();
select is((select array_agg(content) from public.chat_messages where conversation_id = :'conv_b'), array['hello from B'],
  'B''s conversation holds only B''s message');

select * from finish();
rollback;
