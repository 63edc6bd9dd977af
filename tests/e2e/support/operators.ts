// Links the seeded operators to Telegram accounts through the invites `create-invites.ts` made
// before the server started, the way an operator does it: `/start op_<token>` to the bot.
import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { LoginPage } from '../pages/login-page';
import { z } from 'zod';
import { ADMIN_PASSWORD, APP_URL, INVITED_OPERATORS, INVITES_FILE } from './e2e-env';
import { sendPrivateMessage, uniqueTelegramUser, waitForCall, type E2eTelegramUser } from './telegram';

export type InvitedOperator = (typeof INVITED_OPERATORS)[number];
export type LinkedOperator = InvitedOperator & { telegram: E2eTelegramUser };

const inviteToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** The invite token of each invited operator, from the file create-invites.ts wrote. */
export function readInviteTokens(): Map<string, string> {
  const file = path.resolve(process.cwd(), INVITES_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(
      `${INVITES_FILE} is missing: the app webServer command runs create-invites.ts after the seed.`,
    );
  }
  const tokens = z.record(z.string(), inviteToken).parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  return new Map(
    INVITED_OPERATORS.map(({ email }) => {
      const token = tokens[email];
      if (!token) throw new Error(`${INVITES_FILE} has no invite for ${email}.`);
      return [email, token];
    }),
  );
}

/**
 * A new Telegram user opens the operator's invite link (`/start op_<token>`); the bot links the
 * account and greets the operator by name in that chat.
 */
export async function linkOperator<T extends { email: string; name: string }>(
  request: APIRequestContext,
  operator: T,
  token: string,
): Promise<T & { telegram: E2eTelegramUser }> {
  // Not the operator's name: the dashboard must show the desk account's name, not Telegram's.
  const telegram = uniqueTelegramUser('Agent');
  expect(await sendPrivateMessage(request, telegram, `/start op_${token}`)).toBe('handled');
  const answer = await waitForCall(
    request,
    `the bot's answer to ${operator.email}'s /start`,
    (c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === telegram.chatId,
  );
  // Each invite works once: a rerun against an already running e2e server finds them used.
  expect(
    String(answer.payload.text),
    'the invites are single-use: restart the e2e app server (port 3100) so create-invites.ts runs again',
  ).toMatch(new RegExp(`^Welcome, ${operator.name}! `));
  return { ...operator, telegram };
}

/**
 * Does `work` as another seeded person (every seeded account has ADMIN_PASSWORD) in a browser
 * context of their own, closed afterwards — a colleague at another desk, while the test's page
 * stays signed in as its own person.
 */
export async function asColleague<T>(
  browser: Browser,
  email: string,
  work: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext({ baseURL: APP_URL });
  try {
    const page = await context.newPage();
    await new LoginPage(page).signInAs(email, ADMIN_PASSWORD);
    return await work(page);
  } finally {
    await context.close();
  }
}
