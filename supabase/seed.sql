-- Local development seed (`supabase db reset` runs it after the migrations).
-- Intentionally empty: visitors, conversations and tasks are created through the API; the
-- tests create their own rows. Add demo rows here only for a local Supabase stack.
select 1;
