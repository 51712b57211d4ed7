-- list_conversations, delete_conversation, regenerate_chat_reply, edit_chat_message,
-- task_set_conversation_title, and what send_chat_message does for them (the first message titles
-- an empty conversation; metadata stored and handed to the task).
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(67);

-- The fixtures' tasks wait in the future, so a claim here takes the task a test made.
update public.async_tasks set next_attempt_at = now() + interval '1 day' where idempotency_key like 'fixture-%';

-- Completes the due chat.reply task of a conversation as the worker, with `p_content`.
create function tests.answer(p_task uuid, p_content text) returns void language plpgsql security definer set search_path = '' as $$
declare
  v_attempt integer;
begin
  select attempt into v_attempt from public.task_claim(1, array['chat.reply']) where id = p_task;
  if v_attempt is null then
    raise exception 'tests.answer: task % was not claimed', p_task;
  end if;
  perform public.task_complete(p_task, v_attempt, jsonb_build_object('content', p_content));
end
$$;
grant execute on function tests.answer(uuid, text) to public;

-- Only this task is due: every other waiting task moves a day ahead (a claim then takes this one).
create function tests.only_due(p_task uuid) returns void language sql security definer set search_path = '' as $$
  update public.async_tasks set next_attempt_at = now() + interval '1 day'
   where id <> p_task and status = 'pending' and dispatched_at is null;
$$;
grant execute on function tests.only_due(uuid) to public;

-- send_chat_message: metadata, title from the first message.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
create temp table sent on commit drop as
  select public.send_chat_message(null, 'Where is my parcel?', 'cm-1', 120, '{"page": "/orders", "plan": "pro"}') as r;
grant select on sent to public;
select is((select r -> 'message' -> 'metadata' from sent), '{"page": "/orders", "plan": "pro"}'::jsonb, 'the message keeps its metadata');
select is((select r -> 'task' -> 'input' -> 'metadata' from sent), '{"page": "/orders", "plan": "pro"}'::jsonb,
  'the reply task is handed the metadata in its input');
select is((select title from public.conversations where id = (select (r ->> 'conversation_id')::uuid from sent)), 'Where is my parcel?',
  'a new conversation is titled by its first message');
select throws_ok($$select public.send_chat_message(null, 'x', 'cm-bad', 120, '[1, 2]')$$, '22023', 'message metadata must be a JSON object',
  'metadata that is not an object → 22023');
select throws_ok(format($$select public.send_chat_message(null, 'x', 'cm-big', 120, %L::jsonb)$$, jsonb_build_object('x', repeat('y', 8200))),
  '22001', null, 'metadata over 8 KB → 22001');
insert into public.conversations (id, title) values ('a9000000-0000-4000-8000-000000000001', null);
select lives_ok($$select public.send_chat_message('a9000000-0000-4000-8000-000000000001', 'First words here', 'cm-2')$$, 'a send into an empty conversation');
select is((select title from public.conversations where id = 'a9000000-0000-4000-8000-000000000001'), 'First words here',
  'an empty, untitled conversation is titled by its first message');
select lives_ok($$select public.send_chat_message('a9000000-0000-4000-8000-000000000001', 'Second words', 'cm-3')$$, 'a second send');
select is((select title from public.conversations where id = 'a9000000-0000-4000-8000-000000000001'), 'First words here',
  'later messages leave the title alone');
update public.conversations set title = 'Named' where id = 'a9000000-0000-4000-8000-000000000001';
select tests.clear_auth();
-- One transaction has one now(): the activity is set apart by hand (A's fixture oldest, a9 newest).
update public.conversations set created_at = now() - interval '3 hours' where id = 'a0000000-0000-4000-8000-00000000000a';
update public.chat_messages set created_at = now() - interval '3 hours' where conversation_id = 'a0000000-0000-4000-8000-00000000000a';
update public.conversations set created_at = now() - interval '2 hours' where id = (select (r ->> 'conversation_id')::uuid from sent);
update public.chat_messages set created_at = now() - interval '2 hours' where conversation_id = (select (r ->> 'conversation_id')::uuid from sent);
update public.conversations set created_at = now() - interval '1 hour' where id = 'a9000000-0000-4000-8000-000000000001';
update public.chat_messages set created_at = now() - interval '1 hour' where content = 'First words here';
update public.chat_messages set created_at = now() - interval '30 minutes' where content = 'Second words';

-- list_conversations
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select results_eq(
  $$select id from public.list_conversations(10)$$,
  $$values ('a9000000-0000-4000-8000-000000000001'::uuid), ((select (r ->> 'conversation_id')::uuid from sent)), ('a0000000-0000-4000-8000-00000000000a'::uuid)$$,
  'A''s conversations only, newest activity first');
select is((select last_content from public.list_conversations(10) where id = 'a9000000-0000-4000-8000-000000000001'), 'Second words',
  'with the last message');
select is((select title from public.list_conversations(10) where id = 'a9000000-0000-4000-8000-000000000001'), 'Named', 'and the title');
select results_eq(
  $$select id from public.list_conversations(1, (select last_activity_micros from public.list_conversations(1)), (select id from public.list_conversations(1)))$$,
  $$select id from public.list_conversations(2) offset 1$$,
  'the next page starts after the cursor (activity, id)');
select is((select count(*)::int from public.list_conversations(1000)), 3, 'the limit is capped, not an error');
select results_eq($$select id, title from public.list_conversations(1, null, null, 'a0000000-0000-4000-8000-00000000000a')$$,
  $$values ('a0000000-0000-4000-8000-00000000000a'::uuid, 'A''s chat')$$, 'one conversation''s line, wherever it is in the list');
select is((select count(*)::int from public.list_conversations(1, null, null, 'b0000000-0000-4000-8000-00000000000b')), 0,
  'another owner''s conversation has no line');
select tests.clear_auth();
select tests.authenticate_as('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
select results_eq($$select id from public.list_conversations()$$, $$values ('b0000000-0000-4000-8000-00000000000b'::uuid)$$, 'B lists only B''s');
select tests.clear_auth();
select tests.authenticate_as_anon();
select throws_ok('select * from public.list_conversations()', '42501', null, 'anon may not list');
select tests.clear_auth();

-- regenerate_chat_reply
select tests.only_due((select (r -> 'task' ->> 'id')::uuid from sent));
select tests.answer((select (r -> 'task' ->> 'id')::uuid from sent), 'It left the warehouse.');
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
create temp table regen on commit drop as
  select public.regenerate_chat_reply((select (r -> 'message' ->> 'id')::uuid from sent), 'cm-regen') as r;
grant select on regen to public;
select is((select r ->> 'created' from regen), 'true', 'regenerate makes a new task');
select is((select r -> 'task' ->> 'replaces_task_id' from regen), (select r -> 'task' ->> 'id' from sent), 'which names the task it replaces');
select is((select r -> 'task' ->> 'status' from regen), 'pending', 'pending, through the state machine');
select is((select r -> 'task' -> 'input' -> 'metadata' from regen), '{"page": "/orders", "plan": "pro"}'::jsonb, 'with the question''s metadata');
select is((select r -> 'message' ->> 'async_task_id' from regen), (select r -> 'task' ->> 'id' from regen), 'the question now points at the new task');
select is((select jsonb_array_length(r -> 'replaced') from regen), 1, 'one message replaced');
select is((select r -> 'replaced' -> 0 ->> 'content' from regen), 'It left the warehouse.', 'the old reply');
select is((select replaced_by_task_id::text from public.chat_messages where content = 'It left the warehouse.'), (select r -> 'task' ->> 'id' from regen),
  'the old reply is kept, linked to the new task');
select is((public.regenerate_chat_reply((select (r -> 'message' ->> 'id')::uuid from sent), 'cm-regen')) -> 'task' ->> 'id',
  (select r -> 'task' ->> 'id' from regen), 'the same key answers the same task');
select is((public.regenerate_chat_reply((select (r -> 'message' ->> 'id')::uuid from sent), 'cm-regen')) ->> 'created', 'false', '… created: false');
select throws_ok($$select public.regenerate_chat_reply((select (r -> 'message' ->> 'id')::uuid from sent), 'cm-regen-2')$$,
  '55000', 'the reply is still being written: stop it first', 'a reply still on its way → 55000');
select lives_ok($$select public.create_task('demo.other', '{}', 'cm-generic')$$, 'a generic task with its own key');
select throws_ok($$select public.regenerate_chat_reply((select (r -> 'message' ->> 'id')::uuid from sent), 'cm-generic')$$,
  '23505', 'idempotency key already used for another kind of request', 'a key of another request → 23505');
select is((select last_content from public.list_conversations(10) where id = (select (r ->> 'conversation_id')::uuid from sent)), 'Where is my parcel?',
  'the list''s preview leaves out the replaced reply');
select tests.clear_auth();

-- The new task's history leaves the replaced reply out.
select tests.only_due((select (r -> 'task' ->> 'id')::uuid from regen));
select tests.authenticate_as_worker();
select is((select attempt from public.task_claim(1, array['chat.reply'])), 1, 'the regenerated reply is claimed');
select results_eq(
  $$select content from public.task_conversation_history((select (r -> 'task' ->> 'id')::uuid from regen), 1)$$,
  $$values ('Where is my parcel?')$$, 'its history is the question without the replaced reply');
select ok(public.task_set_conversation_title((select (r -> 'task' ->> 'id')::uuid from regen), 1, '  Parcel tracking  '),
  'the workflow names the conversation of its live attempt');
select is((select title from public.conversations where id = (select (r ->> 'conversation_id')::uuid from sent)), 'Parcel tracking', 'trimmed');
select ok(not public.task_set_conversation_title((select (r -> 'task' ->> 'id')::uuid from regen), 2, 'Other'), 'another attempt changes nothing');
select throws_ok($$select public.task_set_conversation_title((select (r -> 'task' ->> 'id')::uuid from regen), 1, '  ')$$,
  '22023', 'conversation title must be 1 to 200 characters', 'a blank title → 22023');
select lives_ok($$select public.task_complete((select (r -> 'task' ->> 'id')::uuid from regen), 1, '{"content": "Out for delivery."}')$$, 'the new reply');
select tests.clear_auth();
select ok(not has_function_privilege('authenticated', 'public.task_set_conversation_title(uuid,integer,text)', 'execute'),
  'a visitor may not call task_set_conversation_title');

-- edit_chat_message
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
create temp table later on commit drop as
  select public.send_chat_message((select (r ->> 'conversation_id')::uuid from sent), 'When will it arive?', 'cm-later') as r;
grant select on later to public;
select throws_ok($$select public.regenerate_chat_reply((select (r -> 'message' ->> 'id')::uuid from sent), 'cm-old')$$,
  '55000', 'only the last message of a conversation can be answered again or edited', 'an earlier question cannot be regenerated');
select throws_ok($$select public.edit_chat_message((select (r -> 'message' ->> 'id')::uuid from sent), 'x', 'cm-old-edit')$$,
  '55000', 'only the last message of a conversation can be answered again or edited', 'nor edited');
create temp table edited on commit drop as
  select public.edit_chat_message((select (r -> 'message' ->> 'id')::uuid from later), 'When will it arrive?', 'cm-edit', '{"page": "/track"}') as r;
grant select on edited to public;
select is((select r -> 'message' ->> 'content' from edited), 'When will it arrive?', 'the edit is a new message');
select is((select r -> 'message' -> 'metadata' from edited), '{"page": "/track"}'::jsonb, 'with its own metadata');
select is((select r -> 'task' ->> 'replaces_task_id' from edited), (select r -> 'task' ->> 'id' from later), 'its task replaces the old one');
select is((select status from public.async_tasks where id = (select (r -> 'task' ->> 'id')::uuid from later)), 'cancelled',
  'the old reply, not yet handed out, is cancelled');
select is((select r -> 'replaced' -> 0 ->> 'content' from edited), 'When will it arive?', 'the old question is replaced');
select is((public.edit_chat_message((select (r -> 'message' ->> 'id')::uuid from later), 'again', 'cm-edit')) -> 'message' ->> 'id',
  (select r -> 'message' ->> 'id' from edited), 'the same key answers the same rows');
select throws_ok($$select public.edit_chat_message((select (r -> 'message' ->> 'id')::uuid from later), 'x', 'cm-edit-2')$$,
  'P0002', 'message not found', 'a replaced question cannot be edited again');
select throws_ok($$select public.edit_chat_message((select (r -> 'message' ->> 'id')::uuid from edited), '', 'cm-edit-3')$$,
  '22023', 'message content must not be empty', 'empty content → 22023');
select tests.clear_auth();

-- Editing a first message retitles a conversation titled by it; a chosen title stays.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
create temp table typo on commit drop as select public.send_chat_message(null, 'Typo in titel', 'cm-typo') as r;
grant select on typo to public;
select lives_ok($$select public.edit_chat_message((select (r -> 'message' ->> 'id')::uuid from typo), 'Typo in title', 'cm-typo-edit')$$,
  'the first message edited');
select is((select title from public.conversations where id = (select (r ->> 'conversation_id')::uuid from typo)), 'Typo in title',
  'the title made from it follows');
update public.conversations set title = 'My own title' where id = (select (r ->> 'conversation_id')::uuid from typo);
select lives_ok($$select public.edit_chat_message((select id from public.chat_messages where content = 'Typo in title' and role = 'user'), 'Typo fixed', 'cm-typo-edit-2')$$,
  'edited again');
select is((select title from public.conversations where id = (select (r ->> 'conversation_id')::uuid from typo)), 'My own title',
  'a title the visitor chose stays');
select tests.clear_auth();

-- An edit while the reply is being written asks the worker to stop.
select tests.only_due((select (r -> 'task' ->> 'id')::uuid from edited));
select tests.authenticate_as_worker();
select is((select attempt from public.task_claim(1, array['chat.reply'])), 1, 'the edited question''s reply is claimed');
select tests.clear_auth();
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select lives_ok($$select public.edit_chat_message((select (r -> 'message' ->> 'id')::uuid from edited), 'Arrival date?', 'cm-edit-4')$$,
  'an edit while the reply is being written');
select is((select cancel_requested from public.async_tasks where id = (select (r -> 'task' ->> 'id')::uuid from edited)), true,
  'the reply being written is asked to stop');
select tests.clear_auth();

-- Another owner gets P0002 for everything of A's.
select tests.authenticate_as('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
select throws_ok($$select public.regenerate_chat_reply('a2000000-0000-4000-8000-00000000000a', 'b-1')$$, 'P0002', 'message not found',
  'B cannot regenerate A''s');
select throws_ok($$select public.edit_chat_message('a2000000-0000-4000-8000-00000000000a', 'mine', 'b-2')$$, 'P0002', 'message not found',
  'B cannot edit A''s');
select throws_ok($$select public.delete_conversation('a0000000-0000-4000-8000-00000000000a')$$, 'P0002', 'conversation not found',
  'B cannot delete A''s');
select tests.clear_auth();

-- delete_conversation: the reply in flight is stopped first, then everything goes, and the streams are told.
select has_trigger('public', 'conversations', 'conversations_notify_delete', 'a deleted conversation is named on app_events');
select has_trigger('public', 'async_tasks', 'async_tasks_notify_delete', 'so is each task deleted with it');
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select ok(public.delete_conversation((select (r ->> 'conversation_id')::uuid from sent)), 'A deletes the conversation');
select tests.clear_auth();
select is((select count(*)::int from public.chat_messages where conversation_id = (select (r ->> 'conversation_id')::uuid from sent)), 0, 'its messages are gone');
select is((select count(*)::int from public.async_tasks where conversation_id = (select (r ->> 'conversation_id')::uuid from sent)), 0, 'its tasks are gone');
select is((select count(*)::int from public.conversations where id = 'a0000000-0000-4000-8000-00000000000a'), 1, 'other conversations stay');
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok($$select public.delete_conversation((select (r ->> 'conversation_id')::uuid from sent))$$, 'P0002', 'conversation not found',
  'a deleted conversation is not found');
select tests.clear_auth();

select * from finish();
rollback;
