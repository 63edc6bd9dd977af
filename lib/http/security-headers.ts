// The response headers every page gets (proxy.ts). Pure, so the policy is tested as text too.

/** The Telegram Login Widget's script, and the origin of the button it frames. */
const TELEGRAM_WIDGET_SCRIPT = 'https://telegram.org';
const TELEGRAM_WIDGET_FRAME = 'https://oauth.telegram.org';

/**
 * Content-Security-Policy for a page. Scripts run only with this response's nonce (Next.js puts
 * it on its own scripts when it finds the policy on the request) or when such a script loads
 * them ('strict-dynamic' — how the widget's script gets in); the telegram.org source is the
 * fallback for browsers without 'strict-dynamic'. The only foreign thing a page may load is the
 * widget's frame. Nothing may frame our pages. Development adds 'unsafe-eval', which React's
 * development build needs.
 */
export function contentSecurityPolicy({
  nonce,
  https,
  development = false,
}: {
  nonce: string;
  https: boolean;
  development?: boolean;
}): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' ${TELEGRAM_WIDGET_SCRIPT}${development ? " 'unsafe-eval'" : ''}`,
    // Inline style attributes (daisyUI, React) are harmless enough to allow; scripts are not.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${TELEGRAM_WIDGET_FRAME}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** HSTS for two years; only sent when the desk's public URL is https. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

/** A fresh, unguessable nonce for one response (128 bits, base64). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
