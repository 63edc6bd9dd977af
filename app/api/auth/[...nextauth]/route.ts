import NextAuth from 'next-auth';
import { getAuthOptions } from '@/lib/auth/auth-options';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Ctx) {
  return NextAuth(getAuthOptions())(request, context);
}

export { handler as GET, handler as POST };
