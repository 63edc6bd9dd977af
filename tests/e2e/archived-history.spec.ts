// "Load archived history" in Chromium against the production build: a returning client's first
// conversation, resolved more than a year ago over two months (seed-archived-chat.ts), is moved
// out of the database by the archive-old-messages job, run now from the Jobs page into the e2e
// file storage. The chat then opens with the recent conversation only and, on request, reads the
// archive back a month at a time: the newer month first, then the older one before it, each
// oldest first, with the edit mark, the internal note and the stored file kept, until the button
// gives way to the beginning of the conversation — all without reloading the page. An operator
// who may not see the client gets the 404 page, and neither the archive's server action nor the
// archived file answers her.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Request } from '@playwright/test';
import { z } from 'zod';
import { ChatPage } from './pages/chat-page';
import { LoginPage } from './pages/login-page';
import { ARCHIVED_CHAT, ARCHIVED_CHAT_FILE, ARCHIVED_CHAT_OPERATOR } from './support/archived-chat';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL } from './support/e2e-env';
import { asColleague } from './support/operators';
import { markPage, pageMark } from './support/page-mark';

/** Nina works in Delivery only; the client is Billing's. */
const OUTSIDER = 'nina@example.com';

function readArchivedChat() {
  const file = path.resolve(process.cwd(), ARCHIVED_CHAT_FILE);
  return z
    .object({
      clientId: z.uuid(),
      displayName: z.string(),
      months: z.object({ earlier: z.string(), later: z.string() }),
    })
    .parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** A message's text anywhere in its bubble (its header and the note's label around it). */
function containing(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Sends a server action the chat sent once more, as whoever `request` is signed in as; its answer. */
async function replayAction(request: APIRequestContext, action: Request): Promise<string> {
  const headers = action.headers();
  const response = await request.post(action.url(), {
    headers: {
      'next-action': headers['next-action'] ?? '',
      'content-type': headers['content-type'] ?? 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
      origin: APP_URL,
    },
    data: action.postData() ?? '',
  });
  expect(response.status(), 'the server action answers').toBe(200);
  return response.text();
}

test('the chat reads a client’s archived history back month by month, for those who may see the client only', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const seeded = readArchivedChat();
  const { earlierMonth, laterMonth, recent } = ARCHIVED_CHAT;
  const [edited, withFile, note] = [earlierMonth[1], laterMonth[0], laterMonth[1]];
  if (!edited?.editedFrom || !withFile?.file || note?.direction !== 'internal') {
    throw new Error('support/archived-chat.ts no longer has the edited reply, the file and the note');
  }
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);

  // The admin runs the job now. Everything else on the e2e desk is recent: only this client's old
  // conversation goes, as one file per month.
  await page.goto('/settings/jobs');
  const job = page.getByTestId('job-archive-old-messages');
  await expect(job.getByRole('heading', { name: 'Archive old messages' })).toBeVisible();
  await job.getByRole('button', { name: 'Run now: Archive old messages' }).click();
  await expect(job.getByRole('status')).toHaveText(/^Done in [\d,]+ ms\.$/);
  await expect(job.getByTestId('last-run')).toContainText('done');
  // The counts, in the job's order (not the stored jsonb's).
  await expect(
    job.getByTestId('last-result'),
    'a fresh e2e app server is needed: seed-archived-chat.ts runs as it starts',
  ).toHaveText(/^clients: 1 · messages: 5 · edits: 1 · attachments: 1 · files: 2 · bytes: [\d,]+$/);

  // The chat opens with the recent conversation only, the archive offered above it.
  const chat = new ChatPage(page);
  await chat.goto(seeded.clientId, seeded.displayName);
  await expect(chat.messages).toHaveText(recent.map((m) => containing(m.text)));
  const loadArchived = page.getByRole('button', { name: 'Load archived history' });
  await expect(loadArchived).toBeEnabled();
  await expect(page.getByTestId('history-start')).toHaveCount(0);
  for (const m of [...earlierMonth, ...laterMonth]) await expect(page.getByText(m.text)).toHaveCount(0);
  await markPage(page);

  // The newer archived month first, before the recent messages, oldest first; more is offered.
  // The chat's server actions sent meanwhile are recorded, to find the archive's among them.
  const sent: Request[] = [];
  const record = (r: Request) => {
    if (r.method() === 'POST' && r.headers()['next-action'] !== undefined) sent.push(r);
  };
  page.on('request', record);
  await loadArchived.click();
  await expect(chat.messages).toHaveText([...laterMonth, ...recent].map((m) => containing(m.text)));
  await expect(loadArchived).toBeEnabled();
  for (const m of earlierMonth) await expect(page.getByText(m.text)).toHaveCount(0);
  page.off('request', record);
  // The archive's action is the one that, sent again by the admin, reads the month back.
  let found: Request | undefined;
  for (const r of sent.filter((r) => r.postData()?.startsWith(`["${seeded.clientId}"`))) {
    if ((await replayAction(page.request, r)).includes(withFile.text)) found = r;
  }
  if (!found) throw new Error('none of the actions the button sent reads the archive back');
  const archiveAction = found;

  // Then the older month before it; nothing is left: the button gives way to the beginning.
  await loadArchived.click();
  const everything = [...earlierMonth, ...laterMonth, ...recent];
  await expect(chat.messages).toHaveText(everything.map((m) => containing(m.text)));
  await expect(page.getByTestId('load-archived')).toHaveCount(0);
  await expect(page.getByTestId('history-start')).toHaveText('The beginning of the conversation.');
  await expect(chat.error).toHaveCount(0);
  expect(await pageMark(page), 'the page was reloaded').toBe('still here');

  // As they were written: each on its side, the edited reply marked (its old wording not shown),
  // the note as a note, the desk's messages under the operator's name.
  for (const m of everything) await expect(chat.message(m.text, m.direction)).toBeVisible();
  // Each archived message in its own month (the bubble's time; UTC in its datetime).
  for (const [written, month] of [
    [earlierMonth, seeded.months.earlier],
    [laterMonth, seeded.months.later],
  ] as const) {
    for (const m of written) {
      await expect(chat.author(chat.message(m.text, m.direction)).locator('time')).toHaveAttribute(
        'datetime',
        new RegExp(`^${month}-`),
      );
    }
  }
  // Each day opens with its date, so a year-old exchange does not read as today's.
  const days = page.getByTestId('day-divider').locator('time');
  await expect(days.nth(0)).toHaveAttribute('datetime', new RegExp(`^${seeded.months.earlier}-`));
  await expect(days.nth(1)).toHaveAttribute('datetime', new RegExp(`^${seeded.months.later}-`));
  await expect(days.nth(0)).toHaveText(new RegExp(seeded.months.earlier.slice(0, 4)));
  const editedReply = chat.message(edited.text, 'outbound');
  await expect(chat.author(editedReply)).toContainText(ARCHIVED_CHAT_OPERATOR.name);
  await expect(chat.author(editedReply)).toContainText('edited');
  await expect(page.getByText(edited.editedFrom)).toHaveCount(0);
  const archivedNote = chat.message(note.text, 'internal');
  await expect(archivedNote.getByTestId('internal-note')).toContainText('Internal note');
  await expect(chat.author(archivedNote)).toContainText(`Note · ${ARCHIVED_CHAT_OPERATOR.name}`);
  // The file stays where it was and is still served from the archived message's link.
  const link = chat
    .message(withFile.text, 'inbound')
    .getByRole('link', { name: containing(withFile.file.name) });
  const href = await link.getAttribute('href');
  if (!href) throw new Error('the archived file has no link');
  const download = await page.request.get(href);
  expect(download.status()).toBe(200);
  expect(await download.text()).toBe(withFile.file.body);
  await page.screenshot({ path: test.info().outputPath('archived-history.png'), fullPage: true });

  // Nina may not see the client: no chat, no archive through its action, no archived file.
  await asColleague(browser, OUTSIDER, async (outsider) => {
    const response = await outsider.goto(`/clients/${seeded.clientId}`);
    expect(response?.status()).toBe(404);
    await expect(outsider.getByTestId('load-archived')).toHaveCount(0);
    const refused = await replayAction(outsider.request, archiveAction);
    expect(refused).toContain('"ok":false');
    expect(refused).toContain('"code":"not_found"');
    for (const m of [...earlierMonth, ...laterMonth]) expect(refused).not.toContain(m.text);
    expect((await outsider.request.get(href)).status()).toBe(404);
  });
});
