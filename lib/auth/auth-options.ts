import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { authenticateOperator } from '@/lib/operators/authenticate-operator';
import { authenticateTelegramWidget } from '@/lib/operators/authenticate-telegram-widget';
import { getAuthSecret } from './auth-secret';
import { consumeLoginLink, loginLinkToken } from './consume-login-link';

const credentialsSchema = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1000),
});

function header(headers: Record<string, unknown> | undefined, name: string): string | null {
  const value = headers?.[name];
  return typeof value === 'string' ? value : null;
}

function requestContext(headers: Record<string, unknown> | undefined) {
  const forwarded = header(headers, 'x-forwarded-for')?.split(',')[0]?.trim();
  return { ip: forwarded || header(headers, 'x-real-ip'), userAgent: header(headers, 'user-agent') };
}

const loginLinkCredentials = z.object({ token: loginLinkToken });

// The widget's user object, posted as one JSON string; its fields are checked by the verifier.
const widgetCredentials = z.object({ payload: z.string().min(2).max(4096) });

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return null;
  }
}

function sessionUser(operator: { id: string; name: string; email: string; role: string } | null) {
  return operator
    ? { id: operator.id, name: operator.name, email: operator.email, role: operator.role }
    : null;
}

const roleSchema = z.enum(['admin', 'supervisor', 'operator']);

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    pages: { signIn: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials, req) {
          const parsed = credentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const operator = await authenticateOperator({
            db: await getDb(),
            ...parsed.data,
            context: requestContext(req.headers),
          });
          return operator
            ? { id: operator.id, name: operator.name, email: operator.email, role: operator.role }
            : null;
        },
      }),
      CredentialsProvider({
        id: 'telegram-link',
        name: 'Telegram sign-in link',
        credentials: { token: { label: 'Token', type: 'text' } },
        async authorize(credentials, req) {
          const parsed = loginLinkCredentials.safeParse(credentials);
          if (!parsed.success) return null;
          return sessionUser(
            await consumeLoginLink({
              db: await getDb(),
              token: parsed.data.token,
              context: requestContext(req.headers),
            }),
          );
        },
      }),
      CredentialsProvider({
        id: 'telegram-widget',
        name: 'Telegram Login Widget',
        credentials: { payload: { label: 'Telegram user (JSON)', type: 'text' } },
        async authorize(credentials, req) {
          const parsed = widgetCredentials.safeParse(credentials);
          if (!parsed.success) return null;
          return sessionUser(
            await authenticateTelegramWidget({
              db: await getDb(),
              payload: parseJson(parsed.data.payload),
              context: requestContext(req.headers),
            }),
          );
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          const role = roleSchema.safeParse((user as { role?: unknown }).role);
          if (role.success) token.role = role.data;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) {
          session.user.id = token.sub;
          const role = roleSchema.safeParse(token.role);
          session.user.role = role.success ? role.data : 'operator';
        }
        return session;
      },
    },
  };
}
