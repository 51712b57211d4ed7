// The first chunk's copies of the modules it shares with the panel chunk, made by the build
// (build/panel-split.ts): exists only in the script-tag bundle's build.
declare module 'virtual:panel-runtime' {
  const runtime: Record<string, Record<string, unknown>>;
  export default runtime;
}
