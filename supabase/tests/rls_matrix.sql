-- The RLS matrix: every table × {anon, user A, user B, anonymous user C, service_role, worker}
-- × {select, insert, update, delete}, every allowed and every denied cell.
-- Denied by privilege → 42501 "permission denied for table …"; denied by a policy's WITH CHECK →
-- 42501 "new row violates row-level security policy …"; rows hidden by USING → 0 rows touched.
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(130);

-- One signed-in visitor (A, B or the anonymous C) against their own rows and someone else's.
create function tests.visitor_matrix(
  p_who text, p_user uuid, p_anonymous boolean,
  p_own_conv uuid, p_own_task uuid, p_own_msg uuid,
  p_other_user uuid, p_other_conv uuid, p_other_task uuid, p_other_msg uuid
) returns setof text language plpgsql as $$
declare
  v_new_conv uuid := gen_random_uuid();
begin
  perform tests.authenticate_as(p_user, p_anonymous);

  -- conversations
  return next results_eq(format('select id from public.conversations where id in (%L, %L)', p_own_conv, p_other_conv),
    format('values (%L::uuid)', p_own_conv), p_who || ': conversations select sees own, not the other''s');
  return next lives_ok(format('insert into public.conversations (id, title) values (%L, ''new'')', v_new_conv),
    p_who || ': conversations insert own (owner_id defaults to auth.uid())');
  return next is((select owner_id from public.conversations where id = v_new_conv), p_user,
    p_who || ': the new conversation belongs to the caller');
  return next throws_ok(format('insert into public.conversations (owner_id, title) values (%L, ''x'')', p_other_user),
    '42501', 'new row violates row-level security policy for table "conversations"',
    p_who || ': conversations insert for another owner is refused');
  return next is(tests.affected(format('update public.conversations set title = ''renamed'' where id = %L', p_own_conv)), 1,
    p_who || ': conversations update own');
  return next is(tests.affected(format('update public.conversations set title = ''hacked'' where id = %L', p_other_conv)), 0,
    p_who || ': conversations update of another''s row touches nothing');
  return next throws_ok(format('update public.conversations set owner_id = %L where id = %L', p_other_user, p_own_conv),
    '42501', 'new row violates row-level security policy for table "conversations"',
    p_who || ': conversations moving own row to another owner is refused (WITH CHECK)');
  return next is(tests.affected(format('delete from public.conversations where id = %L', p_other_conv)), 0,
    p_who || ': conversations delete of another''s row touches nothing');
  return next is(tests.affected(format('delete from public.conversations where id = %L', v_new_conv)), 1,
    p_who || ': conversations delete own');

  -- chat_messages
  return next results_eq(format('select id from public.chat_messages where id in (%L, %L)', p_own_msg, p_other_msg),
    format('values (%L::uuid)', p_own_msg), p_who || ': chat_messages select sees own, not the other''s');
  return next lives_ok(format('insert into public.chat_messages (conversation_id, role, content) values (%L, ''user'', ''hi'')', p_own_conv),
    p_who || ': chat_messages insert a user message into own conversation');
  return next throws_ok(format('insert into public.chat_messages (conversation_id, role, content) values (%L, ''user'', ''hi'')', p_other_conv),
    '42501', 'new row violates row-level security policy for table "chat_messages"',
    p_who || ': chat_messages insert into another''s conversation is refused');
  return next throws_ok(format('insert into public.chat_messages (conversation_id, owner_id, role, content) values (%L, %L, ''user'', ''hi'')', p_own_conv, p_other_user),
    '42501', 'new row violates row-level security policy for table "chat_messages"',
    p_who || ': chat_messages insert for another owner is refused');
  return next throws_ok(format('insert into public.chat_messages (conversation_id, role, content) values (%L, ''assistant'', ''fake'')', p_own_conv),
    '42501', 'new row violates row-level security policy for table "chat_messages"',
    p_who || ': chat_messages insert of an assistant message is refused');
  return next throws_ok(format('insert into public.chat_messages (conversation_id, role, content, async_task_id) values (%L, ''user'', ''x'', %L)', p_own_conv, p_own_task),
    '42501', 'permission denied for table chat_messages',
    p_who || ': chat_messages insert naming a task is refused (column privilege)');
  return next throws_ok(format('update public.chat_messages set content = ''edited'' where id = %L', p_own_msg),
    '42501', 'permission denied for table chat_messages', p_who || ': chat_messages update own is refused');
  return next throws_ok(format('update public.chat_messages set owner_id = %L where id = %L', p_other_user, p_own_msg),
    '42501', 'permission denied for table chat_messages', p_who || ': chat_messages moving own row to another owner is refused');
  return next throws_ok(format('delete from public.chat_messages where id = %L', p_own_msg),
    '42501', 'permission denied for table chat_messages', p_who || ': chat_messages delete own is refused');

  -- async_tasks
  return next results_eq(format('select id from public.async_tasks where id in (%L, %L)', p_own_task, p_other_task),
    format('values (%L::uuid)', p_own_task), p_who || ': async_tasks select sees own, not the other''s');
  return next lives_ok('insert into public.async_tasks (kind, input, idempotency_key) values (''demo.echo'', ''{}'', ''direct-insert'')',
    p_who || ': async_tasks insert own pending task');
  return next is((select status || '/' || attempt from public.async_tasks where idempotency_key = 'direct-insert' and owner_id = p_user),
    'pending/0', p_who || ': a directly inserted task starts pending at attempt 0');
  return next throws_ok(format('insert into public.async_tasks (owner_id, kind) values (%L, ''demo.echo'')', p_other_user),
    '42501', 'new row violates row-level security policy for table "async_tasks"',
    p_who || ': async_tasks insert for another owner is refused');
  return next throws_ok(format('insert into public.async_tasks (kind, conversation_id) values (''demo.echo'', %L)', p_other_conv),
    '42501', 'new row violates row-level security policy for table "async_tasks"',
    p_who || ': async_tasks insert into another''s conversation is refused');
  return next throws_ok(format('insert into public.async_tasks (kind, conversation_id) values (''chat.reply'', %L)', p_own_conv),
    '42501', 'new row violates row-level security policy for table "async_tasks"',
    p_who || ': async_tasks insert of a reserved chat. kind is refused, even in an own conversation');
  return next throws_ok('insert into public.async_tasks (kind, status) values (''demo.echo'', ''completed'')',
    '42501', 'permission denied for table async_tasks',
    p_who || ': async_tasks insert with a chosen status is refused (column privilege)');
  return next throws_ok(format('update public.async_tasks set status = ''completed'' where id = %L', p_own_task),
    '42501', 'permission denied for table async_tasks', p_who || ': async_tasks update own is refused (functions only)');
  return next throws_ok(format('update public.async_tasks set owner_id = %L where id = %L', p_other_user, p_own_task),
    '42501', 'permission denied for table async_tasks', p_who || ': async_tasks moving own row to another owner is refused');
  return next throws_ok(format('delete from public.async_tasks where id = %L', p_own_task),
    '42501', 'permission denied for table async_tasks', p_who || ': async_tasks delete own is refused');

  perform tests.clear_auth();
end
$$;

-- anon: nothing at all.
select tests.authenticate_as_anon();
select throws_ok('select * from public.conversations', '42501', 'permission denied for table conversations', 'anon: conversations select refused');
select throws_ok('insert into public.conversations (owner_id) values (gen_random_uuid())', '42501', 'permission denied for table conversations', 'anon: conversations insert refused');
select throws_ok('update public.conversations set title = ''x''', '42501', 'permission denied for table conversations', 'anon: conversations update refused');
select throws_ok('delete from public.conversations', '42501', 'permission denied for table conversations', 'anon: conversations delete refused');
select throws_ok('select * from public.chat_messages', '42501', 'permission denied for table chat_messages', 'anon: chat_messages select refused');
select throws_ok('insert into public.chat_messages (conversation_id, owner_id, role, content) values (''a0000000-0000-4000-8000-00000000000a'', gen_random_uuid(), ''user'', ''x'')', '42501', 'permission denied for table chat_messages', 'anon: chat_messages insert refused');
select throws_ok('update public.chat_messages set content = ''x''', '42501', 'permission denied for table chat_messages', 'anon: chat_messages update refused');
select throws_ok('delete from public.chat_messages', '42501', 'permission denied for table chat_messages', 'anon: chat_messages delete refused');
select throws_ok('select * from public.async_tasks', '42501', 'permission denied for table async_tasks', 'anon: async_tasks select refused');
select throws_ok('insert into public.async_tasks (owner_id, kind) values (gen_random_uuid(), ''x'')', '42501', 'permission denied for table async_tasks', 'anon: async_tasks insert refused');
select throws_ok('update public.async_tasks set status = ''failed''', '42501', 'permission denied for table async_tasks', 'anon: async_tasks update refused');
select throws_ok('delete from public.async_tasks', '42501', 'permission denied for table async_tasks', 'anon: async_tasks delete refused');
select throws_ok('select public.send_chat_message(null, ''hi'', ''k'')', '42501', 'permission denied for function send_chat_message', 'anon: send_chat_message refused');
select throws_ok('select public.task_claim()', '42501', 'permission denied for function task_claim', 'anon: task_claim refused');
select tests.clear_auth();

-- User A against B's rows, B against A's, the anonymous C against A's.
select * from tests.visitor_matrix('user A',
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', false,
  'a0000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-00000000000a',
  'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
  'b0000000-0000-4000-8000-00000000000b', 'b1000000-0000-4000-8000-00000000000b', 'b2000000-0000-4000-8000-00000000000b');
select * from tests.visitor_matrix('user B',
  'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', false,
  'b0000000-0000-4000-8000-00000000000b', 'b1000000-0000-4000-8000-00000000000b', 'b2000000-0000-4000-8000-00000000000b',
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  'a0000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-00000000000a');
select * from tests.visitor_matrix('anonymous user C',
  'cccccccc-cccc-4ccc-8ccc-cccccccccccc', true,
  'c0000000-0000-4000-8000-00000000000c', 'c1000000-0000-4000-8000-00000000000c', 'c2000000-0000-4000-8000-00000000000c',
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  'a0000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-00000000000a');

-- A's fixture rows are untouched by everything B and C tried.
select is((select title from public.conversations where id = 'a0000000-0000-4000-8000-00000000000a'), 'renamed',
  'A''s conversation carries only A''s own rename');
select is((select content from public.chat_messages where id = 'a2000000-0000-4000-8000-00000000000a'), 'hello from A',
  'A''s message is unchanged');
select is((select status from public.async_tasks where id = 'a1000000-0000-4000-8000-00000000000a'), 'pending',
  'A''s task is unchanged');

-- service_role: bypasses RLS, may do everything.
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.conversations where id in ('a0000000-0000-4000-8000-00000000000a', 'b0000000-0000-4000-8000-00000000000b', 'c0000000-0000-4000-8000-00000000000c')), 3, 'service_role: conversations select sees every owner''s rows');
select is((select count(*)::int from public.chat_messages where id in ('a2000000-0000-4000-8000-00000000000a', 'b2000000-0000-4000-8000-00000000000b', 'c2000000-0000-4000-8000-00000000000c')), 3, 'service_role: chat_messages select sees every owner''s rows');
select is((select count(*)::int from public.async_tasks where id in ('a1000000-0000-4000-8000-00000000000a', 'b1000000-0000-4000-8000-00000000000b', 'c1000000-0000-4000-8000-00000000000c')), 3, 'service_role: async_tasks select sees every owner''s rows');
select lives_ok('insert into public.conversations (id, owner_id) values (''d0000000-0000-4000-8000-00000000000d'', ''bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'')', 'service_role: conversations insert for any owner');
select lives_ok('insert into public.async_tasks (id, owner_id, conversation_id, kind, status) values (''d1000000-0000-4000-8000-00000000000d'', ''bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'', ''d0000000-0000-4000-8000-00000000000d'', ''chat.reply'', ''processing'')', 'service_role: async_tasks insert any row');
select lives_ok('insert into public.chat_messages (id, conversation_id, owner_id, role, content, async_task_id) values (''d2000000-0000-4000-8000-00000000000d'', ''d0000000-0000-4000-8000-00000000000d'', ''bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'', ''assistant'', ''x'', ''d1000000-0000-4000-8000-00000000000d'')', 'service_role: chat_messages insert any row');
select is(tests.affected('update public.conversations set owner_id = ''aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'' where id = ''d0000000-0000-4000-8000-00000000000d'''), 1, 'service_role: conversations update (even the owner)');
select is(tests.affected('update public.chat_messages set content = ''y'' where id = ''d2000000-0000-4000-8000-00000000000d'''), 1, 'service_role: chat_messages update');
select is(tests.affected('update public.async_tasks set status_message = ''y'' where id = ''d1000000-0000-4000-8000-00000000000d'''), 1, 'service_role: async_tasks update');
select is(tests.affected('delete from public.chat_messages where id = ''d2000000-0000-4000-8000-00000000000d'''), 1, 'service_role: chat_messages delete');
select is(tests.affected('delete from public.async_tasks where id = ''d1000000-0000-4000-8000-00000000000d'''), 1, 'service_role: async_tasks delete');
select is(tests.affected('delete from public.conversations where id = ''d0000000-0000-4000-8000-00000000000d'''), 1, 'service_role: conversations delete');
select tests.clear_auth();

-- async_worker: reads conversations and messages; nothing else on tables.
select tests.authenticate_as_worker();
select is((select count(*)::int from public.conversations where id in ('a0000000-0000-4000-8000-00000000000a', 'b0000000-0000-4000-8000-00000000000b', 'c0000000-0000-4000-8000-00000000000c')), 3, 'worker: conversations select sees every conversation');
select is((select count(*)::int from public.chat_messages where id in ('a2000000-0000-4000-8000-00000000000a', 'b2000000-0000-4000-8000-00000000000b', 'c2000000-0000-4000-8000-00000000000c')), 3, 'worker: chat_messages select sees every message');
select throws_ok('select * from public.async_tasks', '42501', 'permission denied for table async_tasks', 'worker: async_tasks select refused (it gets tasks from task_claim)');
select throws_ok('insert into public.conversations (owner_id) values (gen_random_uuid())', '42501', 'permission denied for table conversations', 'worker: conversations insert refused');
select throws_ok('update public.conversations set title = ''x''', '42501', 'permission denied for table conversations', 'worker: conversations update refused');
select throws_ok('delete from public.conversations', '42501', 'permission denied for table conversations', 'worker: conversations delete refused');
select throws_ok('insert into public.chat_messages (conversation_id, owner_id, role, content) values (''a0000000-0000-4000-8000-00000000000a'', gen_random_uuid(), ''assistant'', ''x'')', '42501', 'permission denied for table chat_messages', 'worker: chat_messages insert refused (task_complete writes replies)');
select throws_ok('update public.chat_messages set content = ''x''', '42501', 'permission denied for table chat_messages', 'worker: chat_messages update refused');
select throws_ok('delete from public.chat_messages', '42501', 'permission denied for table chat_messages', 'worker: chat_messages delete refused');
select throws_ok('insert into public.async_tasks (owner_id, kind) values (gen_random_uuid(), ''x'')', '42501', 'permission denied for table async_tasks', 'worker: async_tasks insert refused');
select throws_ok('update public.async_tasks set status = ''failed''', '42501', 'permission denied for table async_tasks', 'worker: async_tasks update refused');
select throws_ok('delete from public.async_tasks', '42501', 'permission denied for table async_tasks', 'worker: async_tasks delete refused');
select throws_ok('select public.send_chat_message(null, ''hi'', ''k'')', '42501', 'permission denied for function send_chat_message', 'worker: visitor functions refused');
select tests.clear_auth();

-- Visitors may not call worker functions.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok('select public.task_claim()', '42501', 'permission denied for function task_claim', 'user: task_claim refused');
select throws_ok('select public.task_complete(''a1000000-0000-4000-8000-00000000000a'', 1, ''{}'')', '42501', 'permission denied for function task_complete', 'user: task_complete refused');
select throws_ok('select public.task_sweep()', '42501', 'permission denied for function task_sweep', 'user: task_sweep refused');
select throws_ok('select * from public.conversation_history(''b0000000-0000-4000-8000-00000000000b'')', '42501', 'permission denied for function conversation_history', 'user: conversation_history refused (it reads any conversation)');
select tests.clear_auth();

select * from finish();
rollback;
