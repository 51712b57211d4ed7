import Link from 'next/link';

/** The site's header with the two example pages (a server component: no JavaScript of its own). */
export function SiteHeader() {
  return (
    <header className="site-header">
      <strong>
        Acme Plants <small>· Next.js example</small>
      </strong>
      <nav aria-label="Example pages">
        <Link href="/">Widget</Link>
        <Link href="/custom">Custom UI (useAsyncChat)</Link>
      </nav>
    </header>
  );
}
