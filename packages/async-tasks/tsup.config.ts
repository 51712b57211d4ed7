import { defineConfig, type Options } from 'tsup';

const entry = {
  index: 'src/index.ts',
  contract: 'src/contract/index.ts',
  testing: 'src/testing.ts',
  react: 'src/bindings/react.ts',
  vue: 'src/bindings/vue.ts',
  supabase: 'src/transports/supabase/index.ts',
};
const shared: Options = {
  entry,
  dts: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
  // The supabase entry imports the core by package name: one shared copy, and its own size stays small.
  external: ['react', 'vue', '@supabase/supabase-js', '@app/async-tasks'],
};

export default defineConfig([
  { ...shared, format: 'esm' },
  // nanostores is ESM only: the CommonJS build carries its own copy, so `require()` works on every
  // Node version and bundler (ESM users share the app's nanostores).
  { ...shared, format: 'cjs', noExternal: ['nanostores'] },
]);
