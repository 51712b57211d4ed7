-- message_feedback: the RLS matrix ({anon, user A, user B, anonymous user C, service_role, worker}
-- × {select, insert, update, delete}), set_message_feedback (own replies only, a later rating
-- replaces, the bounds), cascades, and the operator's view message_feedback_worst_answers.
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(46);

-- A reply for each owner, A's and B's rated by their owners (as the session user).
insert into public.chat_messages (id, conversation_id, owner_id, role, content, async_task_id) values
  ('a3000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-00000000000a', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'assistant', 'answer to A', 'a1000000-0000-4000-8000-00000000000a'),
  ('b3000000-0000-4000-8000-00000000000b', 'b0000000-0000-4000-8000-00000000000b', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'assistant', 'answer to B', 'b1000000-0000-4000-8000-00000000000b'),
  ('c3000000-0000-4000-8000-00000000000c', 'c0000000-0000-4000-8000-00000000000c', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'assistant', 'answer to C', 'c1000000-0000-4000-8000-00000000000c');
update public.async_tasks set input = jsonb_build_object('conversation_id', conversation_id, 'message_id',
  case owner_id when 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' then 'a2000000-0000-4000-8000-00000000000a'
                when 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' then 'b2000000-0000-4000-8000-00000000000b'
                else 'c2000000-0000-4000-8000-00000000000c' end)
 where idempotency_key like 'fixture-%';
insert into public.message_feedback (message_id, owner_id, conversation_id, rating, comment) values
  ('a3000000-0000-4000-8000-00000000000a', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'a0000000-0000-4000-8000-00000000000a', 'up', null),
  ('b3000000-0000-4000-8000-00000000000b', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'b0000000-0000-4000-8000-00000000000b', 'down', 'wrong');

select has_table('public', 'message_feedback', 'message_feedback exists');
select ok((select relrowsecurity from pg_class where oid = 'public.message_feedback'::regclass), 'RLS on message_feedback');

-- One signed-in visitor against their own feedback and someone else's.
create function tests.feedback_matrix(p_who text, p_user uuid, p_anonymous boolean, p_own_msg uuid, p_own_conv uuid, p_other_msg uuid)
returns setof text language plpgsql as $$
begin
  perform tests.authenticate_as(p_user, p_anonymous);
  return next results_eq(format('select message_id from public.message_feedback where message_id in (%L, %L)', p_own_msg, p_other_msg),
    format('select message_id from public.message_feedback where message_id = %L', p_own_msg),
    p_who || ': select sees own feedback, not the other''s');
  return next throws_ok(format('insert into public.message_feedback (message_id, conversation_id, rating) values (%L, %L, ''up'')', p_own_msg, p_own_conv),
    '42501', 'permission denied for table message_feedback', p_who || ': a direct insert is refused (through set_message_feedback only)');
  return next throws_ok(format('update public.message_feedback set rating = ''down'' where message_id = %L', p_own_msg),
    '42501', 'permission denied for table message_feedback', p_who || ': a direct update is refused');
  return next throws_ok(format('delete from public.message_feedback where message_id = %L', p_other_msg),
    '42501', 'permission denied for table message_feedback', p_who || ': a direct delete is refused');
  perform tests.clear_auth();
end
$$;

select * from tests.feedback_matrix('A', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', false,
  'a3000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-00000000000a', 'b3000000-0000-4000-8000-00000000000b');
select * from tests.feedback_matrix('B', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', false,
  'b3000000-0000-4000-8000-00000000000b', 'b0000000-0000-4000-8000-00000000000b', 'a3000000-0000-4000-8000-00000000000a');
select * from tests.feedback_matrix('C (anonymous)', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', true,
  'c3000000-0000-4000-8000-00000000000c', 'c0000000-0000-4000-8000-00000000000c', 'a3000000-0000-4000-8000-00000000000a');

select tests.authenticate_as_anon();
select throws_ok('select * from public.message_feedback', '42501', 'permission denied for table message_feedback', 'anon: select refused');
select throws_ok($$insert into public.message_feedback (message_id, conversation_id, rating) values ('a3000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-00000000000a', 'up')$$,
  '42501', 'permission denied for table message_feedback', 'anon: insert refused');
select throws_ok($$select public.set_message_feedback('a3000000-0000-4000-8000-00000000000a', 'up')$$,
  '42501', null, 'anon: set_message_feedback refused');
select throws_ok('select * from public.message_feedback_worst_answers', '42501', null, 'anon: the view is refused');
select tests.clear_auth();

select tests.authenticate_as_worker();
select throws_ok('select * from public.message_feedback', '42501', 'permission denied for table message_feedback', 'worker: select refused');
select throws_ok($$update public.message_feedback set rating = 'up'$$, '42501', 'permission denied for table message_feedback', 'worker: update refused');
select throws_ok('delete from public.message_feedback', '42501', 'permission denied for table message_feedback', 'worker: delete refused');
select throws_ok('select * from public.message_feedback_worst_answers', '42501', null, 'worker: the view is refused');
select tests.clear_auth();

select tests.authenticate_as_service_role();
select is((select count(*)::int from public.message_feedback), 2, 'service_role: selects every row');
select is(tests.affected($$update public.message_feedback set comment = 'noted' where message_id = 'b3000000-0000-4000-8000-00000000000b'$$), 1,
  'service_role: updates');
select lives_ok($$insert into public.message_feedback (message_id, owner_id, conversation_id, rating) values
  ('c3000000-0000-4000-8000-00000000000c', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'c0000000-0000-4000-8000-00000000000c', 'up')$$, 'service_role: inserts');
select throws_ok($$insert into public.message_feedback (message_id, owner_id, conversation_id, rating) values
  ('a3000000-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'b0000000-0000-4000-8000-00000000000b', 'up')$$,
  '23503', null, 'service_role: feedback in another owner''s conversation → 23503 (the conversation belongs to its owner)');
select is(tests.affected($$delete from public.message_feedback where message_id = 'c3000000-0000-4000-8000-00000000000c'$$), 1, 'service_role: deletes');
select tests.clear_auth();

-- set_message_feedback
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select is((select rating from public.set_message_feedback('a3000000-0000-4000-8000-00000000000a', 'down', '  too vague  ')), 'down',
  'a later rating replaces the earlier one');
select is((select comment from public.message_feedback where message_id = 'a3000000-0000-4000-8000-00000000000a'), 'too vague',
  'the comment is stored trimmed');
select is((select count(*)::int from public.message_feedback where message_id = 'a3000000-0000-4000-8000-00000000000a'), 1, 'still one row per message');
select is((select comment from public.set_message_feedback('a3000000-0000-4000-8000-00000000000a', 'up', '   ')), null, 'a blank comment is none');
select throws_ok($$select public.set_message_feedback('b3000000-0000-4000-8000-00000000000b', 'up')$$,
  'P0002', 'message not found', 'another owner''s reply → P0002, as an unknown one');
select throws_ok($$select public.set_message_feedback('00000000-0000-4000-8000-000000000000', 'up')$$,
  'P0002', 'message not found', 'an unknown message → P0002');
select throws_ok($$select public.set_message_feedback('a2000000-0000-4000-8000-00000000000a', 'up')$$,
  '22023', 'feedback is given on replies (assistant messages) only', 'a user message → 22023');
select throws_ok($$select public.set_message_feedback('a3000000-0000-4000-8000-00000000000a', 'meh')$$,
  '22023', 'rating must be "up" or "down"', 'an unknown rating → 22023');
select throws_ok($$select public.set_message_feedback('a3000000-0000-4000-8000-00000000000a', null)$$,
  '22023', 'rating must be "up" or "down"', 'no rating → 22023');
select throws_ok(format($$select public.set_message_feedback('a3000000-0000-4000-8000-00000000000a', 'up', %L)$$, repeat('x', 2001)),
  '22001', 'feedback comment is longer than 2000 characters (2001)', 'a comment over 2000 characters → 22001');
select tests.clear_auth();
select ok(has_function_privilege('authenticated', 'public.set_message_feedback(uuid,text,text)', 'execute'), 'authenticated may rate');
select ok(not has_function_privilege('async_worker', 'public.set_message_feedback(uuid,text,text)', 'execute'), 'the worker may not rate');

-- The operator's view: down-rated answers with their question, newest first.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select lives_ok($$select public.set_message_feedback('a3000000-0000-4000-8000-00000000000a', 'down', 'not helpful')$$, 'A rates the reply down');
select throws_ok('select * from public.message_feedback_worst_answers', '42501', null, 'a visitor may not read the view');
select tests.clear_auth();
select tests.authenticate_as_service_role();
select results_eq(
  'select question, answer, comment from public.message_feedback_worst_answers order by answer',
  $$values ('hello from A', 'answer to A', 'not helpful'), ('hello from B', 'answer to B', 'noted')$$,
  'the view lists the down-rated answers with the question each answered');
select is((select replaced from public.message_feedback_worst_answers where message_id = 'a3000000-0000-4000-8000-00000000000a'), false,
  'a reply still in the thread is not replaced');
select is((select count(*)::int from public.message_feedback_worst_answers where rating <> 'down'), 0, 'only down ratings');
select tests.clear_auth();

-- Cascades: the feedback goes with its message and its conversation.
delete from public.chat_messages where id = 'b3000000-0000-4000-8000-00000000000b';
select is((select count(*)::int from public.message_feedback where message_id = 'b3000000-0000-4000-8000-00000000000b'), 0,
  'deleting the message deletes its feedback');
delete from public.conversations where id = 'a0000000-0000-4000-8000-00000000000a';
select is((select count(*)::int from public.message_feedback where conversation_id = 'a0000000-0000-4000-8000-00000000000a'), 0,
  'deleting the conversation deletes its feedback');

select * from finish();
rollback;
