-- webhook_delivery_record: a webhook id is accepted once; only service_role may record.
begin;
\ir helpers/setup.psql
select plan(9);

select tests.authenticate_as_service_role();
select is(public.webhook_delivery_record('msg_1'), true, 'a new webhook id is recorded');
select is(public.webhook_delivery_record('msg_1'), false, 'the same id again is a replay');
select is(public.webhook_delivery_record('msg_2'), true, 'another id is new');
select throws_ok($$ select public.webhook_delivery_record('') $$, '22023', 'webhook id must be 1 to 255 characters', 'an empty id is refused');
select throws_ok($$ select public.webhook_delivery_record(repeat('x', 256)) $$, '22023', null, 'an over-long id is refused');
select tests.clear_auth();

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok($$ select public.webhook_delivery_record('msg_3') $$, '42501', null, 'a visitor cannot record deliveries');
select tests.clear_auth();

select tests.authenticate_as_anon();
select throws_ok($$ select public.webhook_delivery_record('msg_3') $$, '42501', null, 'anon cannot record deliveries');
select tests.clear_auth();

select tests.authenticate_as_worker();
select throws_ok($$ select public.webhook_delivery_record('msg_3') $$, '42501', null, 'the worker role cannot record deliveries');
select throws_ok($$ select count(*) from app_internal.webhook_deliveries $$, '42501', null, 'the worker role cannot read the table');
select tests.clear_auth();

select * from finish();
rollback;
