-- The tables of the task layer: conversations, async_tasks (one unit of asynchronous work; kind
-- chat.reply is the chat reply) and chat_messages, with the constraints and indexes that hold
-- whoever writes a row. Constraints are named after their rule, so a violation's message states
-- it. Rows change only through the functions of the later files; who may read or write what is
-- in 20261201000200_row_level_security.sql. Every column is described in docs/database.md.
--
-- Needs auth.uid() (Supabase; on plain PostgreSQL and PGlite: supabase/shim/supabase-shim.sql).

-- Helpers that no API role may call live outside `public` (PostgREST exposes `public`).
create schema app_internal;
revoke all on schema app_internal from public;

create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid(),
  title text null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint conversations_title_max_200_chars check (char_length(title) <= 200),
  -- What tasks and messages reference together with their owner: a row of a conversation
  -- always belongs to the conversation's owner.
  constraint conversations_id_owner_unique unique (id, owner_id)
);
create index conversations_owner_created_idx on public.conversations (owner_id, created_at desc);

create table public.async_tasks (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid(),
  conversation_id uuid null, -- → conversations, with the owner (async_tasks_conversation_belongs_to_owner)
  kind text not null,
  input jsonb not null default '{}'::jsonb,
  status text not null default 'pending',
  status_message text null,
  -- The text the current attempt has written so far (streamed replies); see task_output.
  partial_text text null,
  result jsonb null,
  error jsonb null,
  attempt integer not null default 0,
  max_attempts integer not null default 3,
  next_attempt_at timestamptz not null default now(),
  deadline_at timestamptz null,
  dispatched_at timestamptz null,
  timeout_seconds integer not null default 120,
  execution_id varchar(255) null,
  idempotency_key text null,
  cancel_requested boolean not null default false,
  -- A reply made by a regenerate or an edit: the task whose reply it replaces (kept, linked).
  replaces_task_id uuid null references public.async_tasks (id) on delete set null,
  version bigint not null default 1,
  seq bigint not null, -- set by the touch trigger (as definer: callers need no sequence privilege)
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz null,
  finished_at timestamptz null,
  constraint async_tasks_kind_format
    check (kind ~ '^[a-z0-9][a-z0-9._:-]{0,99}$'),
  constraint async_tasks_input_max_64kb
    check (octet_length(input::text) <= 65536),
  constraint async_tasks_status_valid
    check (status in ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  constraint async_tasks_status_message_max_1000_chars
    check (char_length(status_message) <= 1000),
  constraint async_tasks_partial_text_max_16000_chars
    check (char_length(partial_text) <= 16000),
  constraint async_tasks_result_max_1mb
    check (octet_length(result::text) <= 1048576),
  constraint async_tasks_error_is_object
    check (error is null or jsonb_typeof(error) = 'object'),
  constraint async_tasks_attempt_not_negative
    check (attempt >= 0),
  constraint async_tasks_max_attempts_at_least_1
    check (max_attempts >= 1),
  constraint async_tasks_timeout_seconds_1_to_86400
    check (timeout_seconds between 1 and 86400),
  constraint async_tasks_idempotency_key_1_to_255_chars
    check (char_length(idempotency_key) between 1 and 255),
  constraint async_tasks_owner_idempotency_key_unique
    unique (owner_id, idempotency_key),
  -- A task of a conversation is its owner's: the pair must name a conversation of that owner
  -- (not checked when conversation_id is null). Moving a conversation to another owner moves
  -- its tasks along.
  constraint async_tasks_conversation_belongs_to_owner
    foreign key (conversation_id, owner_id) references public.conversations (id, owner_id)
    on delete cascade on update cascade,
  -- The `chat.` kinds are reserved for the chat (send_chat_message makes chat.reply): such a task
  -- always has its own conversation, and its input, which workers may read, never names another.
  constraint async_tasks_chat_kind_has_conversation
    check (not starts_with(kind, 'chat.') or conversation_id is not null),
  constraint async_tasks_chat_input_names_own_conversation
    check (not starts_with(kind, 'chat.') or input ->> 'conversation_id' is null
           or input ->> 'conversation_id' = conversation_id::text)
);
-- task_claim: due rows, oldest first.
create index async_tasks_due_idx on public.async_tasks (next_attempt_at, created_at)
  where status = 'pending' and dispatched_at is null;
-- task_sweep: live attempts past their deadline.
create index async_tasks_deadline_idx on public.async_tasks (deadline_at)
  where status in ('pending', 'processing');
create index async_tasks_owner_created_idx on public.async_tasks (owner_id, created_at desc);
create index async_tasks_conversation_idx on public.async_tasks (conversation_id)
  where conversation_id is not null;
-- task_fail_execution: the live attempt of a workflow execution (n8n's error handler knows only its id).
create index async_tasks_execution_id_idx on public.async_tasks (execution_id)
  where execution_id is not null;
-- task_claim: replies in a conversation are made one at a time, so a claim looks for an earlier
-- open task of the same kind in the same conversation.
create index async_tasks_open_by_conversation_idx on public.async_tasks (conversation_id, kind, created_at)
  where conversation_id is not null and status in ('pending', 'processing');

create table public.chat_messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null, -- → conversations, with the owner (chat_messages_conversation_belongs_to_owner)
  owner_id uuid not null default auth.uid(),
  role text not null,
  content text not null,
  async_task_id uuid null references public.async_tasks (id) on delete set null,
  -- The site's metadata of a user message (plain JSON object), handed to the workflow; the visitor's own.
  metadata jsonb null,
  -- Set when a regenerate or an edit took this message out of the thread: the task that replaced it.
  replaced_by_task_id uuid null references public.async_tasks (id) on delete set null,
  seq bigint not null, -- set by the touch trigger: the conversation's counter (change feed)
  created_at timestamptz not null default now(),
  constraint chat_messages_role_valid
    check (role in ('user', 'assistant', 'system')),
  constraint chat_messages_content_1_to_16000_chars
    check (char_length(content) between 1 and 16000),
  constraint chat_messages_metadata_object_max_8kb
    check (metadata is null or (jsonb_typeof(metadata) = 'object' and octet_length(metadata::text) <= 8192)),
  -- A message (a reply too) belongs to the owner of its conversation, whoever writes it.
  constraint chat_messages_conversation_belongs_to_owner
    foreign key (conversation_id, owner_id) references public.conversations (id, owner_id)
    on delete cascade on update cascade
);
-- Exactly one assistant message per task, whoever completes it and however often.
create unique index chat_messages_one_assistant_per_task
  on public.chat_messages (async_task_id) where role = 'assistant';
create index chat_messages_conversation_seq_idx on public.chat_messages (conversation_id, seq);
create index chat_messages_task_idx on public.chat_messages (async_task_id)
  where async_task_id is not null;

comment on table public.async_tasks is
  'One unit of asynchronous work (e.g. kind chat.reply). Change it only through the task_* / visitor functions.';
comment on column public.async_tasks.attempt is
  'Number of dispatches so far; task_claim increments it; every worker call names the attempt it works on.';
comment on column public.async_tasks.dispatched_at is
  'Set when a dispatcher claims the current attempt; null = due for dispatch (when next_attempt_at has passed).';
comment on column public.async_tasks.version is 'Bumped on every update; clients merge snapshots and events by it.';
comment on column public.async_tasks.seq is
  'The SSE event id: the next value of its conversation''s counter at the last insert/update (without a conversation: previous seq + 1).';
comment on column public.chat_messages.seq is 'The SSE event id: the next value of its conversation''s counter at insert.';
