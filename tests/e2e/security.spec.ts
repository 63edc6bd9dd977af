// The security guarantees against the production build (`next build && next start`): the
// headers on every page, pages still working under the Content-Security-Policy, forged
// X-Forwarded-For ignored, revoked sessions refused, no 500 for bad cookies or bodies.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { Shell } from './pages/shell';
import { ADMIN_PASSWORD, APP_URL } from './support/e2e-env';

// The seed's supervisor (all demo accounts share the admin's password). Signing out ends all of
// an account's sessions, so this spec keeps away from the admin the other specs use.
const SUPERVISOR = 'supervisor@example.com';

function cspDirectives(value: string | undefined): Map<string, string> {
  return new Map(
    (value ?? '').split(';').map((d) => {
      const [name = '', ...rest] = d.trim().split(/\s+/);
      return [name, rest.join(' ')];
    }),
  );
}

async function expectPageHeaders(request: APIRequestContext, path: string) {
  const response = await request.get(path, { maxRedirects: 0 });
  expect(response.status(), path).toBeLessThan(500);
  const headers = response.headers();
  const csp = cspDirectives(headers['content-security-policy']);
  expect(csp.get('script-src'), path).toMatch(
    /^'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic' https:\/\/telegram\.org$/,
  );
  expect(csp.get('frame-src'), path).toBe('https://oauth.telegram.org');
  expect(csp.get('frame-ancestors'), path).toBe("'none'");
  expect(headers['x-content-type-options'], path).toBe('nosniff');
  expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
  expect(headers['x-frame-options'], path).toBe('DENY');
  // APP_URL is http here: no HSTS.
  expect(headers['strict-transport-security'], path).toBeUndefined();
  return headers['content-security-policy'];
}

/** Records every Content-Security-Policy violation the page reports. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __cspViolations: seen });
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return () =>
    page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

test('every page carries the security headers, with a fresh nonce each time', async ({ request }) => {
  const first = await expectPageHeaders(request, '/login');
  const second = await expectPageHeaders(request, '/login');
  expect(first).not.toBe(second);
  for (const path of ['/login/link', '/login/telegram', '/clients', '/', '/no-such-page']) {
    await expectPageHeaders(request, path);
  }
  const api = await request.get('/api/health');
  expect(api.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
});

test('pages work under the policy: signing in and the desk run with nothing blocked', async ({ page }) => {
  const violations = await watchViolations(page);
  await new LoginPage(page).signInAs(SUPERVISOR, ADMIN_PASSWORD);
  await new Shell(page).signOutButton();
  expect(await violations()).toEqual([]);
  await page.goto('/no-such-page');
  expect(await violations()).toEqual([]);
});

test('a forged X-Forwarded-For changes nothing: throttling keys on the real address', async ({ page }) => {
  const ghost = `ghost-${Date.now()}@example.com`;
  const login = new LoginPage(page);
  await login.goto();
  // Each attempt claims another address; all of them come from this browser.
  for (let i = 0; i < 6; i++) {
    await page.setExtraHTTPHeaders({
      'x-forwarded-for': `198.51.100.${i + 1}`,
      'x-real-ip': `198.51.100.${i + 101}`,
    });
    await login.signIn(ghost, `guess ${i}`);
    await expect(login.error).toHaveText('Wrong email or password, or the account is disabled.');
    await expect(login.submit).toBeEnabled();
  }
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '198.51.100.200' });
  await login.signIn(ghost, 'guess again');
  // The form says how long to wait.
  await expect(login.error).toHaveText(
    /^Too many failed attempts\. Please wait \d+ seconds and try again\.$/,
  );
});

test('signing out ends the session, and a copy of its cookie is refused', async ({ page, browser }) => {
  await new LoginPage(page).signInAs(SUPERVISOR, ADMIN_PASSWORD);
  const cookies = await page.context().cookies();
  const copy = await browser.newContext({ baseURL: APP_URL });
  await copy.addCookies(cookies);
  expect(
    ((await (await copy.request.get('/api/auth/session')).json()) as { user?: unknown }).user,
  ).toBeTruthy();

  await (await new Shell(page).signOutButton()).click();
  await expect(page).toHaveURL(/\/login/);

  expect(await (await copy.request.get('/api/auth/session')).json()).toEqual({});
  const clients = await copy.request.get('/clients', { maxRedirects: 0 });
  expect(clients.status()).toBe(307);
  expect(clients.headers()['location']).toMatch(/\/login$/);
  await copy.close();
});

test('bad session cookies and malformed bodies get 4xx, never a 500', async ({ playwright }) => {
  const garbage = [
    'next-auth.session-token=garbage',
    `next-auth.session-token=${'A'.repeat(3000)}`,
    'next-auth.session-token.0=a; next-auth.session-token.1=b',
    'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z',
  ];
  for (const cookie of garbage) {
    const api = await playwright.request.newContext({ baseURL: APP_URL, extraHTTPHeaders: { cookie } });
    const clients = await api.get('/clients', { maxRedirects: 0 });
    expect(clients.status(), cookie).toBe(307);
    expect(clients.headers()['location'], cookie).toMatch(/\/login$/);
    const session = await api.get('/api/auth/session');
    expect(session.status(), cookie).toBe(200);
    expect(await session.json(), cookie).toEqual({});
    expect((await api.get('/api/files/00000000-0000-4000-8000-000000000000')).status(), cookie).toBe(401);
    await api.dispose();
  }

  const api = await playwright.request.newContext({ baseURL: APP_URL });
  const action = { 'next-action': '40'.padEnd(42, 'a') };
  const malformed = [
    { headers: { ...action, 'content-type': 'text/plain;charset=UTF-8' }, data: '[' },
    { headers: { ...action, 'content-type': 'multipart/form-data; boundary=xyz' }, data: 'garbage' },
    {
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      data: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xy',
    },
  ];
  for (const { headers, data } of malformed) {
    const response = await api.post('/clients', { headers, data, maxRedirects: 0 });
    expect(response.status(), data).toBe(400);
    expect(await response.text()).not.toMatch(/\bat \S+:\d+:\d+/);
  }
  const json = await api.post('/api/auth/callback/credentials', {
    headers: { 'content-type': 'application/json' },
    data: '{"email":',
  });
  expect(json.status()).toBe(400);
  await api.dispose();
});
