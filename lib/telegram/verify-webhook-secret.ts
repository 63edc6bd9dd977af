import { safeEqual } from '@/lib/auth/secrets';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** True only when a secret is configured and the header matches it (constant time). */
export function verifyWebhookSecret(header: string | null, configured: string | undefined): boolean {
  if (!configured || !header) return false;
  return safeEqual(header, configured);
}
