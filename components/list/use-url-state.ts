'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';

/**
 * Changes some of the page's URL parameters (a list's state — filters, search, ordering, page —
 * lives in the URL, so a reload or a shared link shows the same list). An empty or undefined
 * value removes the parameter.
 */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname() ?? '/';
  const search = useSearchParams();
  return (changes: Record<string, string | undefined>) => {
    const params = new URLSearchParams(search?.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') params.delete(key);
      else params.set(key, value);
    }
    const text = params.toString();
    router.push(text ? `${pathname}?${text}` : pathname);
  };
}
