// Vite (tests, stories) and the tsup build (build/inline-css.ts) both read `?inline` CSS as text.
declare module '*.css?inline' {
  const css: string;
  export default css;
}
