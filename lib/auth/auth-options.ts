import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getDb } from '@/db/client';
import type { RequestContext } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { requestContextFromHeaders } from '@/lib/http/client-ip';
import { authenticateOperator } from '@/lib/operators/authenticate-operator';
import { authenticateTelegramWidget } from '@/lib/operators/authenticate-telegram-widget';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';
import { revokeOperatorSessions } from '@/lib/operators/revoke-operator-sessions';
import type { AuthenticatedOperator } from './record-sign-in';
import { getAuthSecret } from './auth-secret';
import { consumeLoginLink, loginLinkToken } from './consume-login-link';
import { sessionClaims } from './session-token';
import { signInErrorFor } from './sign-in-error';

const credentialsSchema = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1000),
});

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

function sessionUser(operator: AuthenticatedOperator | null) {
  return operator
    ? {
        id: operator.id,
        name: operator.name,
        email: operator.email,
        role: operator.role,
        sessionVersion: operator.sessionVersion,
      }
    : null;
}

/**
 * Runs a sign-in; a throttled attempt becomes an Error whose message next-auth hands to the
 * sign-in form as `error` (`rate_limited:<seconds>`, see sign-in-error.ts).
 */
async function signInOrThrow(run: () => Promise<AuthenticatedOperator | null>) {
  try {
    return sessionUser(await run());
  } catch (error) {
    if (error instanceof AppError && error.code === 'rate_limited') throw new Error(signInErrorFor(error));
    throw error;
  }
}

const roleSchema = z.enum(['admin', 'supervisor', 'operator']);

/** Thrown by the jwt callback for a revoked or malformed token: next-auth answers an empty session. */
class SessionEndedError extends Error {
  constructor() {
    super('session ended');
    this.name = 'SessionEndedError';
  }
}

/**
 * next-auth's options. `context` is the request's address and user agent, for the audit row of
 * a sign-out (next-auth's events do not see the request); sign-ins read it from `req` themselves.
 */
export function getAuthOptions({ context }: { context?: RequestContext } = {}): NextAuthOptions {
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
          const db = await getDb();
          return signInOrThrow(() =>
            authenticateOperator({ db, ...parsed.data, context: requestContextFromHeaders(req.headers) }),
          );
        },
      }),
      CredentialsProvider({
        id: 'telegram-link',
        name: 'Telegram sign-in link',
        credentials: { token: { label: 'Token', type: 'text' } },
        async authorize(credentials, req) {
          const parsed = loginLinkCredentials.safeParse(credentials);
          if (!parsed.success) return null;
          const db = await getDb();
          return signInOrThrow(() =>
            consumeLoginLink({
              db,
              token: parsed.data.token,
              context: requestContextFromHeaders(req.headers),
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
          const db = await getDb();
          return signInOrThrow(() =>
            authenticateTelegramWidget({
              db,
              payload: parseJson(parsed.data.payload),
              context: requestContextFromHeaders(req.headers),
            }),
          );
        },
      }),
    ],
    callbacks: {
      // At sign-in: put the operator's id, role and session version into the token. On every
      // later read (/api/auth/session, getServerSession): refuse the token unless the operator
      // is still active and still at that session version (sign-out, deactivation, a role or
      // password change raise it). Throwing makes next-auth answer `{}` and clear the cookie.
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          const role = roleSchema.safeParse(user.role);
          if (role.success) token.role = role.data;
          token.sv = user.sessionVersion;
          return token;
        }
        const claims = sessionClaims.safeParse(token);
        if (!claims.success) throw new SessionEndedError();
        const actor = await getOperatorActor({
          db: await getDb(),
          operatorId: claims.data.sub,
          sessionVersion: claims.data.sv,
        });
        if (!actor) throw new SessionEndedError();
        token.role = actor.role;
        token.name = actor.name;
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
    events: {
      // Signing out ends the operator's sessions everywhere: the cookie next-auth clears may
      // have been copied, and a per-operator version cannot end just one of them.
      async signOut({ token }) {
        const claims = sessionClaims.safeParse(token);
        if (!claims.success) return;
        const db = await getDb();
        const actor = await getOperatorActor({
          db,
          operatorId: claims.data.sub,
          sessionVersion: claims.data.sv,
        });
        if (!actor) return;
        await revokeOperatorSessions({
          db,
          actor: { ...actor, context },
          operatorId: actor.operatorId,
          ifSessionVersion: claims.data.sv,
          reason: 'signed_out',
        });
      },
    },
    logger: {
      error(code, metadata) {
        // A revoked or foreign session cookie is routine: one line, no stack trace.
        if (code === 'JWT_SESSION_ERROR') {
          if (!(metadata instanceof SessionEndedError))
            console.warn('Refused a session cookie that is not ours.');
          return;
        }
        console.error(`[next-auth][error][${code}]`, metadata);
      },
      warn(code) {
        console.warn(`[next-auth][warn][${code}]`);
      },
      debug() {},
    },
  };
}
