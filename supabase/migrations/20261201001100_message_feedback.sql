-- Visitors' feedback on replies: message_feedback (one rating per assistant message, a later one
-- replaces it), set_message_feedback (the only way a visitor writes it), and the operator's view
-- of the down-rated answers. The table, its privileges and its policy are together here because
-- they are one concern that nothing else touches; RLS is on like on every table.
--
--   anon           nothing
--   authenticated  read own feedback; write it through set_message_feedback only
--   service_role   everything; the view
--   async_worker   nothing (a workflow that wants ratings reads them as the operator does)

create table public.message_feedback (
  message_id uuid primary key references public.chat_messages (id) on delete cascade,
  owner_id uuid not null default auth.uid(),
  conversation_id uuid not null, -- → conversations, with the owner (message_feedback_conversation_belongs_to_owner)
  rating text not null,
  comment text null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint message_feedback_rating_valid check (rating in ('up', 'down')),
  constraint message_feedback_comment_max_2000_chars check (char_length(comment) <= 2000),
  -- Feedback belongs to the owner of the conversation of its message, and goes with it.
  constraint message_feedback_conversation_belongs_to_owner
    foreign key (conversation_id, owner_id) references public.conversations (id, owner_id)
    on delete cascade on update cascade
);
create index message_feedback_owner_idx on public.message_feedback (owner_id);
create index message_feedback_rating_updated_idx on public.message_feedback (rating, updated_at desc);

revoke all on table public.message_feedback from public, anon, authenticated, service_role, async_worker;
grant all on table public.message_feedback to service_role;
grant select on table public.message_feedback to authenticated;
alter table public.message_feedback enable row level security;
create policy message_feedback_select_own on public.message_feedback
  for select to authenticated using (owner_id = (select auth.uid()));

-- Rates an assistant message of the caller ('up' | 'down', a comment of at most 2000 characters,
-- blank = none); a later call replaces the rating and the comment. P0002 for an unknown or
-- someone else's message; 22023 for a message that is not a reply, or a bad rating.
create function public.set_message_feedback(p_message_id uuid, p_rating text, p_comment text default null)
returns public.message_feedback
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := app_internal.require_uid();
  v_message public.chat_messages;
  v_comment text := nullif(btrim(p_comment), '');
  v_feedback public.message_feedback;
begin
  select * into v_message from public.chat_messages where id = p_message_id and owner_id = v_uid;
  if not found then
    raise exception using errcode = 'P0002', message = 'message not found';
  end if;
  if v_message.role <> 'assistant' then
    raise exception using errcode = '22023', message = 'feedback is given on replies (assistant messages) only';
  end if;
  if p_rating is null or p_rating not in ('up', 'down') then
    raise exception using errcode = '22023', message = 'rating must be "up" or "down"';
  end if;
  if char_length(v_comment) > 2000 then
    raise exception using errcode = '22001', message = format('feedback comment is longer than 2000 characters (%s)', char_length(v_comment));
  end if;

  insert into public.message_feedback (message_id, owner_id, conversation_id, rating, comment)
  values (v_message.id, v_uid, v_message.conversation_id, p_rating, v_comment)
  on conflict (message_id) do update
    set rating = excluded.rating, comment = excluded.comment, updated_at = now()
  returning * into v_feedback;
  return v_feedback;
end
$$;

revoke all on function public.set_message_feedback(uuid, text, text) from public, anon, authenticated, service_role;
grant execute on function public.set_message_feedback(uuid, text, text) to authenticated, service_role;

-- The operator's list of the answers visitors rated down, newest rating first: the answer, the
-- question it answered (from its task, in the same conversation), the comment, and whether a
-- regenerate or an edit replaced it since. For the operator only (service_role; invoker's rights,
-- so nothing here reaches a visitor through PostgREST).
create view public.message_feedback_worst_answers with (security_invoker = true) as
select f.message_id,
       f.conversation_id,
       f.owner_id,
       f.rating,
       f.comment,
       f.updated_at as rated_at,
       a.content as answer,
       a.created_at as answered_at,
       q.content as question,
       a.replaced_by_task_id is not null as replaced,
       (select count(*) from public.message_feedback d
         where d.rating = 'down' and d.conversation_id = f.conversation_id) as downs_in_conversation
  from public.message_feedback f
  join public.chat_messages a on a.id = f.message_id
  left join public.async_tasks t on t.id = a.async_task_id
  left join public.chat_messages q
    on q.id = (case when t.input ->> 'message_id' ~ '^[0-9a-f-]{36}$' then (t.input ->> 'message_id')::uuid end)
   and q.conversation_id = a.conversation_id
 where f.rating = 'down'
 order by f.updated_at desc;

revoke all on table public.message_feedback_worst_answers from public, anon, authenticated, service_role, async_worker;
grant select on table public.message_feedback_worst_answers to service_role;
