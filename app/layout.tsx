import type { Metadata } from 'next';
import './globals.css';

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
