import 'next-auth';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface Session {
    user: {
      id: string;
      role: 'admin' | 'supervisor' | 'operator';
      name?: string | null;
      email?: string | null;
    };
  }

  /** What our credentials providers return from authorize(). */
  interface User {
    role?: 'admin' | 'supervisor' | 'operator';
    sessionVersion?: number;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    role?: 'admin' | 'supervisor' | 'operator';
    /** The operator's session_version at sign-in; see getOperatorActor. */
    sv?: number;
  }
}
