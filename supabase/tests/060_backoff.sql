-- task_backoff(attempt): base 2 s doubling, capped at 5 min, jitter within [delay/2, delay].
begin;
\ir helpers/setup.psql
select no_plan();

create temp table samples as
  select a as attempt, extract(epoch from public.task_backoff(a)) as seconds,
         least(300.0, 2.0 * power(2.0, a - 1)) as delay
    from generate_series(1, 12) a, generate_series(1, 300);

select is(
  (select count(*)::int from samples where seconds < delay / 2 or seconds > delay),
  0, 'every sampled backoff for attempts 1..12 lies within [delay/2, delay]');

select ok(s.lo >= d.delay / 2 and s.hi <= d.delay,
  format('attempt %s: %s..%s s within [%s s, %s s]', d.attempt, round(s.lo::numeric, 2), round(s.hi::numeric, 2),
         (d.delay / 2)::numeric, d.delay::numeric))
  from (select distinct attempt, delay from samples) d
  cross join lateral (select min(seconds) lo, max(seconds) hi from samples x where x.attempt = d.attempt) s
  order by d.attempt;

select is((select max(seconds) <= 300 from samples), true, 'the cap of 5 minutes holds for every attempt');
select ok((select max(seconds) > 150 from samples where attempt >= 9), 'the capped attempts reach above the half cap');
select ok((select count(distinct round(seconds::numeric, 3)) > 100 from samples where attempt = 8), 'the delay is jittered (not a constant)');
select ok(extract(epoch from public.task_backoff(100)) between 150 and 300, 'a huge attempt number stays capped (no overflow)');
select ok(extract(epoch from public.task_backoff(0)) between 1 and 2, 'attempt 0 counts as attempt 1');
select ok(extract(epoch from public.task_backoff(null)) between 1 and 2, 'a null attempt counts as attempt 1');

select * from finish();
rollback;
