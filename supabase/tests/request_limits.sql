-- rate_limit_hit and the stream slots: shared request limits, for service_role only.
begin;
\ir helpers/setup.psql
select plan(34);

select tests.authenticate_as_service_role();

-- A fixed window from the first hit; p_now moves the clock.
select is(public.rate_limit_hit(array['send-ip:a'], array[2], 60, null, '2026-12-01 12:00:00+00'), null, 'the first hit is within the limit');
select is(public.rate_limit_hit(array['send-ip:a'], array[2], 60, null, '2026-12-01 12:00:10+00'), null, 'the second too');
select is(public.rate_limit_hit(array['send-ip:a'], array[2], 60, null, '2026-12-01 12:00:15+00'), 45,
  'the third is over: wait until the window that began at the first hit ends');
select is(public.rate_limit_hit(array['send-ip:a'], array[2], 60, null, '2026-12-01 12:00:59.2+00'), 1,
  'a refused hit counts and never extends the window; the wait rounds up');
select is(public.rate_limit_hit(array['send-ip:a'], array[2], 60, null, '2026-12-01 12:01:00+00'), null, 'a new window starts afresh');
select is(public.rate_limit_hit(array['send-ip:b'], array[1], 60, null, '2026-12-01 12:01:00+00'), null, 'each key counts on its own');

-- Several keys in one call: the longest wait of those over their limit.
select is(public.rate_limit_hit(array['v:1', 'ip:1'], array[5, 1], 60, null, '2026-12-01 13:00:00+00'), null, 'both keys within');
select is(public.rate_limit_hit(array['v:1', 'ip:1'], array[5, 1], 60, null, '2026-12-01 13:00:30+00'), 30, 'one key over is enough');
select tests.clear_auth();
select is((select hits from app_internal.rate_limit_counters where key = 'v:1'), 2::bigint, 'the other key was counted too');
select tests.authenticate_as_service_role();

-- Costs: a request may count for more than one hit (characters, say).
select is(public.rate_limit_hit(array['chars:1'], array[100], 60, array[60], '2026-12-01 14:00:00+00'), null, '60 of 100');
select is(public.rate_limit_hit(array['chars:1'], array[100], 60, array[41], '2026-12-01 14:00:01+00'), 59, '101 of 100 is over');
select is(public.rate_limit_hit(array['chars:1'], array[100], 60, array[0], '2026-12-01 14:00:02+00'), 58, 'a cost of 0 only reads');

-- Cleaned up as it goes: windows that ended are deleted by later calls.
select tests.clear_auth();
select is((select count(*)::int from app_internal.rate_limit_counters where key like 'send-ip:%'), 0,
  'the windows of 12:01 were deleted by the calls of 13:00 and later');
select is((select count(*)::int from app_internal.rate_limit_counters where window_ends_at <= '2026-12-01 15:00:00+00'), 1,
  'the window of 14:00 has ended by 15:00 (those of 13:00 went at 14:00)');
select tests.authenticate_as_service_role();
select public.rate_limit_hit(array['later'], array[1], 60, null, '2026-12-01 15:00:00+00');
select tests.clear_auth();
select is((select count(*)::int from app_internal.rate_limit_counters where window_ends_at <= '2026-12-01 15:00:00+00'), 0,
  'one later call deleted them');
select tests.authenticate_as_service_role();

select throws_ok($$ select public.rate_limit_hit(array['a', 'b'], array[1]) $$, '22023', null, 'one limit per key');
select throws_ok($$ select public.rate_limit_hit(array['a'], array[0]) $$, '22023', null, 'a limit of 0 is the caller''s "off", never stored');
select throws_ok($$ select public.rate_limit_hit(array[]::text[], array[]::integer[]) $$, '22023', null, 'no keys');
select throws_ok($$ select public.rate_limit_hit(array['a'], array[1], 0) $$, '22023', null, 'a window of 0 s');

-- Stream slots: caps per visitor and per IP over every instance, a lease, release.
select is(public.stream_slot_take('5a000000-0000-4000-8000-000000000001', '1e000000-0000-4000-8000-000000000001', 'v1', 'ip1', 2, 3), null,
  'a first slot');
select is(public.stream_slot_take('5a000000-0000-4000-8000-000000000002', '1e000000-0000-4000-8000-000000000002', 'v1', 'ip1', 2, 3), null,
  'a second, on another instance');
select is(public.stream_slot_take('5a000000-0000-4000-8000-000000000003', '1e000000-0000-4000-8000-000000000001', 'v1', 'ip1', 2, 3), 'visitor',
  'the visitor''s third is refused, whichever instance it reaches');
select is(public.stream_slot_take('5a000000-0000-4000-8000-000000000004', '1e000000-0000-4000-8000-000000000001', 'v2', 'ip1', 2, 3), null,
  'another visitor of the IP');
select is(public.stream_slot_take('5a000000-0000-4000-8000-000000000005', '1e000000-0000-4000-8000-000000000001', 'v3', 'ip1', 2, 3), 'ip',
  'the IP''s fourth is refused');
select is(public.stream_slot_take('5a000000-0000-4000-8000-000000000006', '1e000000-0000-4000-8000-000000000001', 'v3', 'ip2', 2, 0), null,
  'a cap of 0 is no cap');
select is(public.stream_slot_release('5a000000-0000-4000-8000-000000000001'), true, 'a closed stream releases its slot');
select is(public.stream_slot_release('5a000000-0000-4000-8000-000000000001'), false, 'a second release finds nothing');
select is(public.stream_slot_take('5a000000-0000-4000-8000-000000000007', '1e000000-0000-4000-8000-000000000001', 'v1', 'ip1', 2, 3), null,
  'the freed slot can be taken');

-- A dead instance's slots expire with their lease; a live one renews its own.
select tests.clear_auth();
update app_internal.stream_slots set expires_at = now() - interval '1 second';
select tests.authenticate_as_service_role();
select is(public.stream_slots_renew('1e000000-0000-4000-8000-000000000001', 60), 0,
  'once expired, nothing is renewed (the expired slots are deleted)');
select tests.clear_auth();
select is((select count(*)::int from app_internal.stream_slots), 0, 'every expired slot is gone');
select tests.authenticate_as_service_role();
select public.stream_slot_take('5a000000-0000-4000-8000-000000000008', '1e000000-0000-4000-8000-000000000001', 'v1', 'ip1', 2, 3);
select is(public.stream_slots_renew('1e000000-0000-4000-8000-000000000001', 60), 1, 'a live instance renews the slots it holds');
select tests.clear_auth();

select tests.authenticate_as('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
select throws_ok($$ select public.rate_limit_hit(array['x'], array[1]) $$, '42501', null, 'a visitor cannot count');
select throws_ok($$ select public.stream_slot_release('5a000000-0000-4000-8000-000000000008') $$, '42501', null,
  'a visitor cannot release slots');
select tests.clear_auth();

select tests.authenticate_as_worker();
select throws_ok($$ select count(*) from app_internal.rate_limit_counters $$, '42501', null, 'the worker role cannot read the counters');
select tests.clear_auth();

select * from finish();
rollback;
