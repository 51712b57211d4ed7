import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from './site-header';
import './site.css';

export const metadata: Metadata = {
  title: 'Acme Plants · Next.js example',
  description: 'The async chat widget and a custom chat UI in a Next.js App Router app.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SiteHeader />
        {children}
      </body>
    </html>
  );
}
