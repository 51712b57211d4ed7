-- Refresh-token rotation for the reference server's anonymous visitor sessions
-- (POST /api/session, POST /api/session/refresh). Supabase Auth keeps its own sessions; this is
-- only for the server's own tokens.
--
-- A session is a family of refresh tokens: every refresh answers a new pair and retires the
-- token it was given. Presenting a retired token again means it was copied (a stolen token used
-- by two parties): the whole family is revoked, so the thief and the visitor both have to start
-- over instead of the thief keeping a 30-day session. Two tabs of one visitor that refresh at the
-- same moment with the same token are not a theft: within a short grace after a rotation, the
-- token just retired answers the same new pair again (the server re-signs it from the stored
-- token id and issue time, so both tabs end with identical tokens), and the family lives on.
--
-- The state lives here, not in a server's memory, so every instance sees every rotation; each
-- call locks its family row, so concurrent refreshes of one family reaching different instances
-- are decided one after the other. Only the server (service_role) calls these functions; the
-- table has RLS on, no policies and no grants.

create table app_internal.refresh_families (
  id uuid primary key,
  user_id uuid not null,
  -- The token id (`jti`) that may refresh now, and the unix second its pair was signed at.
  current_token uuid not null,
  current_issued_at bigint not null,
  -- The token it replaced, answered with the same pair until rotated_at + the grace.
  previous_token uuid null,
  rotated_at timestamptz null,
  revoked_at timestamptz null,
  -- When the newest refresh token expires: the row is useless after that and may be pruned.
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index refresh_families_expires_idx on app_internal.refresh_families (expires_at);
alter table app_internal.refresh_families enable row level security;
revoke all on table app_internal.refresh_families from public, anon, authenticated, service_role, async_worker;

-- A new session: its family with its first token. Prunes expired families now and then.
create function public.refresh_family_start(
  p_family uuid, p_user uuid, p_token uuid, p_issued_at bigint, p_expires_at timestamptz
) returns void
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  if p_family is null or p_user is null or p_token is null or p_issued_at is null or p_expires_at is null then
    raise exception using errcode = '22023', message = 'refresh_family_start needs a family, a user, a token, an issue time and an expiry';
  end if;
  -- Roughly one call in fifty: cheap on the hot path, and the table stays as small as the
  -- sessions still alive.
  if random() < 0.02 then
    delete from app_internal.refresh_families where expires_at < now();
  end if;
  insert into app_internal.refresh_families (id, user_id, current_token, current_issued_at, expires_at)
  values (p_family, p_user, p_token, p_issued_at, p_expires_at);
end
$$;

revoke all on function public.refresh_family_start(uuid, uuid, uuid, bigint, timestamptz) from public, anon, authenticated, async_worker;
grant execute on function public.refresh_family_start(uuid, uuid, uuid, bigint, timestamptz) to service_role;

-- One refresh with token p_token of family p_family (both from the verified refresh JWT).
-- Answers {outcome, token, issued_at}:
--   rotated   p_token was the current one: p_next_token (signed at p_issued_at) is current now
--   repeated  p_token was retired less than p_grace_seconds ago: the current token and its issue
--             time, so the caller re-signs exactly the pair it answered then
--   reused    p_token was retired longer ago, or never was the family's: the family is revoked
--   refused   no such family (never made, pruned), another user's, revoked or expired
-- Only `rotated` and `repeated` carry a token.
create function public.refresh_family_rotate(
  p_family uuid, p_user uuid, p_token uuid, p_next_token uuid, p_issued_at bigint, p_expires_at timestamptz,
  p_grace_seconds integer default 10
) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_family app_internal.refresh_families;
begin
  select * into v_family from app_internal.refresh_families where id = p_family for update;
  if not found or v_family.user_id is distinct from p_user or v_family.revoked_at is not null
     or v_family.expires_at < now() then
    return jsonb_build_object('outcome', 'refused');
  end if;

  if v_family.current_token = p_token then
    update app_internal.refresh_families
       set current_token = p_next_token, current_issued_at = p_issued_at, previous_token = p_token,
           rotated_at = now(), expires_at = p_expires_at
     where id = p_family;
    return jsonb_build_object('outcome', 'rotated', 'token', p_next_token, 'issued_at', p_issued_at);
  end if;

  if v_family.previous_token = p_token
     and v_family.rotated_at >= now() - make_interval(secs => greatest(coalesce(p_grace_seconds, 10), 0)) then
    return jsonb_build_object('outcome', 'repeated', 'token', v_family.current_token, 'issued_at', v_family.current_issued_at);
  end if;

  update app_internal.refresh_families set revoked_at = now() where id = p_family;
  return jsonb_build_object('outcome', 'reused');
end
$$;

revoke all on function public.refresh_family_rotate(uuid, uuid, uuid, uuid, bigint, timestamptz, integer)
  from public, anon, authenticated, async_worker;
grant execute on function public.refresh_family_rotate(uuid, uuid, uuid, uuid, bigint, timestamptz, integer) to service_role;
