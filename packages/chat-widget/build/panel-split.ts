import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const srcDir = resolve(packageDir, 'src');

/**
 * The modules the panel chunk takes from the first chunk instead of bundling a copy, with the
 * exports it uses. Packages by the name they are imported as; the widget's own modules by their
 * path under `src/`, without the extension. The first chunk hands over exactly these (so its
 * tree shaking keeps what the panel needs), and the panel chunk reads them from it. A name the
 * panel imports that is missing here fails its build ("No matching export"); add it here.
 */
export const SHARED_MODULES: Record<string, readonly string[]> = {
  preact: ['Component', 'createRef'],
  'preact/hooks': ['useCallback', 'useEffect', 'useLayoutEffect', 'useMemo', 'useRef', 'useState'],
  'preact/jsx-runtime': ['Fragment', 'jsx', 'jsxs'],
  'components/Panel': ['Panel'],
  'components/ErrorNotice': ['ErrorNotice'],
  'widget/use-store': ['useStore'],
  'i18n/format': ['format'],
};

/**
 * The module both chunks run by design: the key of the handoff between them (a `Symbol.for`
 * name and the types). Every other source file is in one chunk only.
 */
const HANDSHAKE = 'src/bundle/handoff.ts';

/** The handoff's runtime as the first chunk imports it (`src/bundle/shared-runtime.d.ts`). */
const RUNTIME_MODULE = 'virtual:panel-runtime';
/** The panel chunk's side of the handoff, which every shared module reads from. */
const PANEL_HOST = resolve(srcDir, 'bundle', 'panel-host.ts');

const isPackage = (key: string) => !key.includes('/') || key.startsWith('preact/');
const importPath = (key: string) => (isPackage(key) ? key : resolve(srcDir, key));

/** The shared module key of a resolved file under `src/`, if it is one. */
function sharedKeyOf(file: string): string | undefined {
  const key = relative(srcDir, file)
    .replace(/\\/g, '/')
    .replace(/\.tsx?$/, '');
  return !key.startsWith('..') && key in SHARED_MODULES && !isPackage(key) ? key : undefined;
}

function deferred<T>() {
  let settle!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

// The first chunk's inputs, for the panel build to check against (tsup runs both in one process).
const firstInputs = deferred<string[] | null>();

const inputsOf = (metafile: { inputs: Record<string, unknown> } | undefined) =>
  Object.keys(metafile?.inputs ?? {}).filter((file) => !file.includes(':'));

/**
 * For the first chunk: `import runtime from 'virtual:panel-runtime'` is an object holding
 * {@link SHARED_MODULES}, the first chunk's own copies, to hand to the panel chunk.
 */
export const exposeShared: EsbuildPlugin = {
  name: 'expose-shared',
  setup(build) {
    build.onResolve({ filter: /^virtual:panel-runtime$/ }, () => ({ path: RUNTIME_MODULE, namespace: 'panel-runtime' }));
    build.onLoad({ filter: /.*/, namespace: 'panel-runtime' }, () => {
      const imports: string[] = [];
      const entries: string[] = [];
      Object.entries(SHARED_MODULES).forEach(([key, names], m) => {
        imports.push(`import { ${names.map((name, n) => `${name} as s${m}_${n}`).join(', ')} } from ${JSON.stringify(importPath(key))};`);
        entries.push(`${JSON.stringify(key)}: { ${names.map((name, n) => `${name}: s${m}_${n}`).join(', ')} }`);
      });
      return { contents: `${imports.join('\n')}\nexport default { ${entries.join(',\n')} };\n`, loader: 'js', resolveDir: srcDir };
    });
    build.onEnd((result) => {
      firstInputs.settle(result.errors.length ? null : inputsOf(result.metafile));
    });
  },
};

/**
 * For the panel chunk: every import of a module in {@link SHARED_MODULES} reads the first
 * chunk's copy from the handoff instead of bundling it. The build fails if any other source file
 * ends up in both chunks.
 */
export const useShared: EsbuildPlugin = {
  name: 'use-shared',
  setup(build) {
    const skip = Symbol('resolving');
    build.onResolve({ filter: /^preact(\/.*)?$/ }, (args) => {
      if (!(args.path in SHARED_MODULES))
        return { errors: [{ text: `${args.path} is not shared with the first chunk: add it to SHARED_MODULES` }] };
      return { path: args.path, namespace: 'shared' };
    });
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === skip) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: skip,
      });
      if (resolved.errors.length) return { errors: resolved.errors };
      const key = sharedKeyOf(resolved.path);
      return key ? { path: key, namespace: 'shared' } : { path: resolved.path };
    });
    build.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
      contents: `import { runtime } from ${JSON.stringify(PANEL_HOST)};\nexport const { ${SHARED_MODULES[args.path]!.join(', ')} } = runtime[${JSON.stringify(args.path)}];\n`,
      loader: 'js',
      resolveDir: srcDir,
    }));
    build.onEnd(async (result) => {
      if (result.errors.length) return;
      const first = await firstInputs.promise;
      if (!first) return;
      const inBoth = inputsOf(result.metafile).filter((file) => first.includes(file) && file !== HANDSHAKE);
      if (inBoth.length) {
        throw new Error(`In both chunks of the script-tag bundle (share them through SHARED_MODULES, or move them): ${inBoth.join(', ')}`);
      }
    });
  },
};
