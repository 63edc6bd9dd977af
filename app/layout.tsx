import type { Metadata } from 'next';
import './globals.css';

// Every page is rendered per request, the 404 page included: the Content-Security-Policy nonce
// (proxy.ts) is new on each response, and a prerendered page's scripts could not carry it.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Support desk',
  description: 'Telegram customer-support desk',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-base-200">{children}</body>
    </html>
  );
}
