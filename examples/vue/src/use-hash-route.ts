import { onScopeDispose, ref, type Ref } from 'vue';

/**
 * The current `#/route` (`/` when empty). Hash routes keep the example free of a router and
 * work on any static host without rewrites.
 */
export function useHashRoute(): Readonly<Ref<string>> {
  const read = () => location.hash.replace(/^#/, '') || '/';
  const route = ref(read());
  const onChange = () => (route.value = read());
  window.addEventListener('hashchange', onChange);
  onScopeDispose(() => window.removeEventListener('hashchange', onChange));
  return route;
}
