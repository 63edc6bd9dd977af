import fs from 'node:fs';
import path from 'node:path';
import { getEnv } from '@/lib/env';
import { randomToken } from './secrets';

let cached: string | undefined;

/**
 * NEXTAUTH_SECRET, or — so the desk runs with nothing configured — a random secret generated
 * once and kept next to the embedded database (never committed: data/ is ignored).
 */
export function getAuthSecret(): string {
  if (cached) return cached;
  const env = getEnv();
  if (env.NEXTAUTH_SECRET) return (cached = env.NEXTAUTH_SECRET);
  const file = path.resolve(
    /* turbopackIgnore: true */ process.cwd(),
    path.dirname(env.PGLITE_DIR),
    'auth-secret',
  );
  try {
    cached = fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    cached = randomToken(32);
    fs.writeFileSync(file, cached, { mode: 0o600 });
    if (env.NODE_ENV === 'production') console.warn(`NEXTAUTH_SECRET is not set; generated one in ${file}.`);
  }
  return cached;
}
