import { describe, expect, it } from 'vitest';
import { defaultSqlDir } from '../src/index.js';
import { definitionsIn, duplicates, sqlFilesUnder } from './sql-definitions.js';

// The schema is read once: each function, trigger, policy and table is created in exactly one
// place under supabase/ (migrations, shim, pgTAP files and their helpers). A change to a
// definition edits that place; a second `create or replace` elsewhere would leave a reader
// guessing which one the database ends up with. This holds while the schema is a baseline edited
// in place (before the first release, docs/database.md "Changing the schema"); from the first
// release on, a new migration redefining a function is the way to change it, and this check is
// narrowed to the released baseline and the test files.
describe('every schema object under supabase/ is defined once', () => {
  it('finds no function, trigger, policy or table created twice', async () => {
    const definitions = (await sqlFilesUnder(defaultSqlDir)).flatMap(({ file, sql }) => definitionsIn(sql, file));
    const twice = [...duplicates(definitions)].map(([key, places]) => `${key}: ${places.map((p) => `${p.file}:${p.line}`).join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('sees the definitions it guards (a parser that found nothing would pass the check above)', async () => {
    const keys = new Set((await sqlFilesUnder(defaultSqlDir)).flatMap(({ file, sql }) => definitionsIn(sql, file)).map((d) => d.key));
    for (const key of [
      'function public.task_claim',
      'function public.send_chat_message',
      'function app_internal.touch_row',
      'function auth.uid',
      'function tests.authenticate_as',
      'trigger async_tasks_touch on public.async_tasks',
      'policy conversations_select_own on public.conversations',
      'table app_internal.task_claims',
    ]) {
      expect(keys, key).toContain(key);
    }
  });

  it('reports a function redefined in another file, a trigger and a policy created twice, with their places', () => {
    const definitions = [
      ...definitionsIn(
        [
          'create function public.task_claim(p_limit integer) returns void language sql as $$ select 1 $$;',
          'create trigger t_touch before update on public.t for each row execute function f();',
          'create policy p_own on public.t for select using (true);',
          '-- create function public.only_in_a_comment(',
        ].join('\n'),
        'a.sql',
      ),
      ...definitionsIn(
        [
          'create or replace function public.task_claim(p_limit integer, p_kinds text[]) returns void language sql as $$ select 1 $$;',
          'CREATE TRIGGER t_touch\n  BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION f();',
          'create policy p_own on t for insert with check (true);',
          'create policy p_own on public.other for select using (true);',
          'create function only_in_b() returns void language sql as $$ select 1 $$;',
        ].join('\n'),
        'b.sql',
      ),
    ];
    const found = duplicates(definitions);
    expect([...found.keys()].sort()).toEqual(['function public.task_claim', 'policy p_own on public.t', 'trigger t_touch on public.t']);
    expect(found.get('function public.task_claim')!.map((d) => `${d.file}:${d.line}`)).toEqual(['a.sql:1', 'b.sql:1']);
    expect(found.get('trigger t_touch on public.t')!.map((d) => `${d.file}:${d.line}`)).toEqual(['a.sql:2', 'b.sql:2']);
  });
});
