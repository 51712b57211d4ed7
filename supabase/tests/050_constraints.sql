-- Limits are errors with clear messages (never silent truncation), with the SQLSTATE the
-- server maps to HTTP: 22001 too long/large, 22023 invalid value, 23514 a check constraint
-- hit by a direct write (its name states the rule).
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select no_plan();

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select lives_ok(format('select public.send_chat_message(null, %L, ''limit-ok'')', repeat('é', 16000)),
  'content of exactly 16000 characters (multi-byte) is accepted');
select throws_ok(format('select public.send_chat_message(null, %L, ''limit-1'')', repeat('x', 16001)),
  '22001', 'message content is longer than 16000 characters (16001)', 'content of 16001 characters → 22001 with the limit in the message');
select throws_ok($$select public.send_chat_message(null, '', 'limit-2')$$,
  '22023', 'message content must not be empty', 'empty content → 22023');
select throws_ok($$select public.send_chat_message(null, null, 'limit-3')$$,
  '22023', 'message content must not be empty', 'null content → 22023');
select throws_ok(format('select public.send_chat_message(null, ''hi'', %L)', repeat('k', 256)),
  '22023', 'idempotency key must be 1 to 255 characters', 'an over-long idempotency key → 22023');

select lives_ok(format('select public.create_task(''demo.big'', %L::jsonb, ''input-ok'')', jsonb_build_object('s', repeat('x', 65536 - 9))),
  'input of exactly 64 KB (as JSON text) is accepted');
select throws_ok(format('select public.create_task(''demo.big'', %L::jsonb, ''input-1'')', jsonb_build_object('s', repeat('x', 65536 - 8))),
  '22001', 'task input is larger than 64 KB (65536 bytes as JSON text; got 65537)', 'input of 64 KB + 1 byte → 22001');
select throws_ok($$select public.create_task('Bad Kind!', '{}', 'kind-1')$$,
  '22023', null, 'an invalid kind → 22023');
select throws_ok($$select public.create_task('demo.echo', '{}', 'att-1', 0)$$,
  '22023', 'max_attempts must be between 1 and 50', 'max_attempts 0 → 22023');
select throws_ok($$select public.create_task('demo.echo', '{}', 'att-2', 51)$$,
  '22023', 'max_attempts must be between 1 and 50', 'max_attempts 51 → 22023');
select throws_ok($$select public.create_task('demo.echo', '{}', 'to-1', 3, 0)$$,
  '22023', 'timeout_seconds must be between 1 and 86400', 'timeout 0 → 22023');

-- Direct writes meet the named check constraints.
select throws_ok(format($$insert into public.chat_messages (conversation_id, role, content) values ('a0000000-0000-4000-8000-00000000000a', 'user', %L)$$, repeat('x', 16001)),
  '23514', 'new row for relation "chat_messages" violates check constraint "chat_messages_content_1_to_16000_chars"',
  'a direct over-long message → 23514 naming the limit');
select throws_ok($$insert into public.chat_messages (conversation_id, role, content) values ('a0000000-0000-4000-8000-00000000000a', 'user', '')$$,
  '23514', 'new row for relation "chat_messages" violates check constraint "chat_messages_content_1_to_16000_chars"',
  'a direct empty message → 23514');
select throws_ok(format($$insert into public.async_tasks (kind, input) values ('demo.big', %L::jsonb)$$, jsonb_build_object('s', repeat('x', 70000))),
  '23514', 'new row for relation "async_tasks" violates check constraint "async_tasks_input_max_64kb"',
  'a direct over-large input → 23514 naming the limit');
select tests.clear_auth();

select throws_ok($$update public.async_tasks set status = 'done' where idempotency_key = 'fixture-a'$$,
  '23514', 'new row for relation "async_tasks" violates check constraint "async_tasks_status_valid"', 'an unknown status → 23514');
select throws_ok($$update public.chat_messages set role = 'robot' where id = 'a2000000-0000-4000-8000-00000000000a'$$,
  '23514', 'new row for relation "chat_messages" violates check constraint "chat_messages_role_valid"', 'an unknown role → 23514');
select throws_ok($$update public.async_tasks set execution_id = repeat('e', 256) where idempotency_key = 'fixture-a'$$,
  '22001', null, 'an execution id over 255 characters → 22001');

-- Other chat.reply tasks of this file are due with the same timestamps: keep them out of the claim.
update public.async_tasks set next_attempt_at = now() + interval '1 day'
 where kind = 'chat.reply' and status = 'pending' and id <> 'a1000000-0000-4000-8000-00000000000a';
select tests.authenticate_as_worker();
select ok((tests.claim('a1000000-0000-4000-8000-00000000000a')).id is not null, 'claim the fixture task');
select throws_ok($$select public.task_progress('a1000000-0000-4000-8000-00000000000a', 1, repeat('m', 1001))$$,
  '22001', 'status message is longer than 1000 characters', 'an over-long status message → 22001');
select tests.clear_auth();

select * from finish();
rollback;
