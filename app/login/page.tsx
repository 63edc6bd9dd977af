import { redirect } from 'next/navigation';
import { getSessionActor } from '@/app/session';
import { LoginForm } from '@/components/login-form';

export const dynamic = 'force-dynamic';

export default async function LoginPage() {
  if (await getSessionActor()) redirect('/clients');
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="card w-full max-w-sm bg-base-100 shadow">
        <div className="card-body">
          <h1 className="card-title text-2xl">Support desk</h1>
          <p className="text-sm opacity-70">Sign in with your operator account.</p>
          <LoginForm />
        </div>
      </div>
    </main>
  );
}
