import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';
import * as testing from './testing.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const entries = [
  './index.ts',
  './contract/index.ts',
  './testing.ts',
  './bindings/react.ts',
  './bindings/vue.ts',
  './transports/supabase/index.ts',
].map(here);

/** Every name an entry exports (types too), with whether its declaration has a TSDoc `@example`. */
function exportedNames(program: ts.Program, entry: string): Map<string, boolean> {
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const names = new Map<string, boolean>();
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const documented = (target.declarations ?? []).some((d) => ts.getJSDocTags(d).some((tag) => tag.tagName.text === 'example'));
    names.set(symbol.name, documented);
  }
  return names;
}

describe('the public API', () => {
  it('exports at run time exactly the deliberate list (no internals, no test fakes)', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AsyncTaskError',
        'AuthError',
        'ConversationNotFoundError',
        'HttpError',
        'NetworkError',
        'TaskNotFoundError',
        'ValidationError',
        'createChatSession',
        'createHttpTransport',
        'createIdempotencyKey',
        'createTaskClient',
        'initialChatState',
        'initialTaskState',
        'isActive',
        'isTerminal',
        'reduceChat',
        'reduceTask',
        'shareAcrossTabs',
      ].sort(),
    );
    expect(Object.keys(testing)).toEqual(['createMemoryTransport']);
  });

  it('documents every export of every entry, types included, with an @example', { timeout: 60_000 }, () => {
    const program = ts.createProgram(entries, {
      strict: true,
      jsx: ts.JsxEmit.ReactJSX,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      paths: { '@app/async-tasks': [here('./index.ts')] },
      noEmit: true,
    });
    const undocumented = entries.flatMap((entry) => {
      const names = exportedNames(program, entry);
      expect(names.size).toBeGreaterThan(0);
      return [...names].filter(([, documented]) => !documented).map(([name]) => `${entry.split('/src/')[1]}: ${name}`);
    });
    expect(exportedNames(program, entries[0]!).size).toBeGreaterThan(40);
    expect(undocumented).toEqual([]);
  });
});
