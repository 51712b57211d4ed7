-- Uploads: made by the server only, read and attached by their owner only, swept when never
-- attached, and their bucket objects queued for deletion whoever deletes the row.
begin;
\ir helpers/setup.psql
\ir helpers/fixtures.psql
select plan(34);

-- Only the server makes uploads.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok($$ select public.create_upload('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'a.txt', 'text/plain', 2, null, null,
  'database', null, 'hi', '\x6869', 60, 0) $$, '42501', null, 'a visitor cannot make an upload (the server checks the content first)');
select throws_ok($$ insert into public.uploads (owner_id, filename, media_type, byte_size, storage, expires_at)
  values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'a.txt', 'text/plain', 2, 'database', now()) $$, '42501', null,
  'nor insert one directly');

select tests.authenticate_as_service_role();
create temp table ids (name text primary key, id uuid) on commit drop;
grant all on ids to public;
insert into ids select 'a1', (public.create_upload('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'shot.png', 'image/png', 100, 4, 3,
  'database', null, null, '\x89504e47', 3600, 250)).id;
insert into ids select 'a2', (public.create_upload('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'notes.txt', 'text/plain', 100, null, null,
  'database', null, 'notes', '\x6e6f746573', 3600, 250)).id;
select is((public.create_upload('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'big.png', 'image/png', 51, null, null,
  'database', null, null, '\x00', 3600, 250)).id, null, 'past the day''s bytes: nothing stored, the answer is null');
select is((select count(*)::int from public.uploads where owner_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'), 2, 'two uploads of A');
select ok((public.create_upload('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'b.png', 'image/png', 100, null, null,
  'database', null, null, '\x00', 3600, 250)).id is not null, 'each owner counts on their own');
insert into ids select 'b1', id from public.uploads where owner_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
insert into ids select 's3', (public.create_upload('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'doc.pdf', 'application/pdf', 50, null, null,
  's3', 'uploads/a/doc', 'text', null, 1, 0)).id;
select throws_ok($$ select public.create_upload('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '../../etc/passwd', 'text/plain', 1, null, null,
  'database', null, null, '\x00', 60, 0) $$, '23514', null, 'a filename is never a path');
select throws_ok($$ select public.create_upload('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'a', 'text/plain', 0, null, null,
  'database', null, null, '\x', 60, 0) $$, '23514', null, 'an empty file is refused');
select throws_ok($$ select public.create_upload('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'a', 'text/plain', 1, null, null,
  's3', 'k', null, '\x00', 60, 0) $$, '22023', null, 'bytes in the database only when the storage is the database');

-- Reading: own rows only.
select tests.authenticate_as('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
select is((select count(*)::int from public.uploads), 1, 'B sees only B''s upload');
select is((select count(*)::int from public.upload_contents where upload_id = (select id from ids where name = 'a1')), 0,
  'nor the bytes of A''s');
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select is((select count(*)::int from public.uploads), 3, 'A sees A''s three');
select is((select content from public.upload_contents where upload_id = (select id from ids where name = 'a1')), '\x89504e47'::bytea,
  'and their bytes');
select throws_ok($$ update public.uploads set filename = 'x' $$, '42501', null, 'no visitor updates an upload');
select throws_ok($$ delete from public.uploads $$, '42501', null, 'nor deletes one');

-- Attaching: own uploads onto own user message.
select throws_ok(format($$ select public.attach_uploads('a2000000-0000-4000-8000-00000000000a', array[%L::uuid]) $$,
  (select id from ids where name = 'b1')), 'P0002', 'upload not found', 'another visitor''s upload is not found');
select throws_ok(format($$ select public.attach_uploads('b2000000-0000-4000-8000-00000000000b', array[%L::uuid]) $$,
  (select id from ids where name = 'a1')), 'P0002', 'message not found', 'nor is another visitor''s message');
select throws_ok(format($$ select public.attach_uploads('a2000000-0000-4000-8000-00000000000a', array[%L::uuid, %L::uuid]) $$,
  (select id from ids where name = 'a1'), (select id from ids where name = 'a1')), '22023', null, 'an upload named twice');
select throws_ok(format($$ select public.attach_uploads('a2000000-0000-4000-8000-00000000000a', array[%L::uuid, %L::uuid], 1) $$,
  (select id from ids where name = 'a1'), (select id from ids where name = 'a2')), '22023', 'at most 1 files on one message',
  'more files than allowed on one message');
select is((select count(*)::int from public.attach_uploads('a2000000-0000-4000-8000-00000000000a',
  array[(select id from ids where name = 'a1'), (select id from ids where name = 'a2')])), 2, 'A attaches two uploads');
select is((select count(*)::int from public.attach_uploads('a2000000-0000-4000-8000-00000000000a',
  array[(select id from ids where name = 'a1'), (select id from ids where name = 'a2')])), 2, 'attaching again changes nothing');
select is((select count(*)::int from public.uploads where message_id is not null and expires_at is null
  and conversation_id = 'a0000000-0000-4000-8000-00000000000a'), 2, 'attached: they no longer expire, and belong to the conversation');

-- Editing the question: its files go with it to the new message (whose reply then sees them).
create temp table edited on commit drop as
  select public.edit_chat_message('a2000000-0000-4000-8000-00000000000a', 'hello again, see the files', 'uploads-edit') as r;
grant all on edited to public;
select is((select count(*)::int from public.uploads where message_id = (select (r -> 'message' ->> 'id')::uuid from edited)), 2,
  'the edited message has the question''s two files');
select is((select count(*)::int from public.uploads where message_id = 'a2000000-0000-4000-8000-00000000000a'), 0,
  'the replaced question keeps none');
select is((select count(*)::int from public.uploads where message_id is not null and expires_at is null), 2,
  'still attached: nothing starts expiring');

-- The sweep: unattached and expired only.
select tests.clear_auth();
update public.uploads set expires_at = now() - interval '1 second' where id = (select id from ids where name = 's3');
update public.uploads set expires_at = now() + interval '1 hour' where id = (select id from ids where name = 'b1');
select tests.authenticate_as_worker();
select is(public.upload_sweep(), 1, 'the sweep deletes the expired unattached upload');
select tests.clear_auth();
select is((select count(*)::int from public.uploads), 3, 'the attached ones and the one not yet expired stay');
select is((select count(*)::int from app_internal.upload_object_deletions where storage_key = 'uploads/a/doc'), 1,
  'its bucket object is queued for deletion');

-- Deleting a conversation deletes its uploads and their bytes.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select is(tests.affected($$ delete from public.conversations where id = 'a0000000-0000-4000-8000-00000000000a' $$), 1,
  'A deletes the conversation');
select tests.clear_auth();
select is((select count(*)::int from public.uploads where owner_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'), 0, 'its uploads are gone');
select is((select count(*)::int from public.upload_contents where owner_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'), 0, 'and their bytes');

-- The deletion queue: for the server only.
select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok($$ select public.upload_objects_to_delete() $$, '42501', null, 'a visitor cannot read the deletion queue');
select tests.authenticate_as_service_role();
select is((select array_agg(k) from public.upload_objects_to_delete() k), array['uploads/a/doc'], 'the server reads the queued keys');
select is(public.upload_objects_deleted(array['uploads/a/doc']), 1, 'and forgets them once deleted');
select is((select count(*)::int from public.upload_objects_to_delete()), 0, 'nothing left');

select * from finish();
rollback;
