import { and, eq, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { dailyReports, operatorDepartments, operators } from '@/db/schema';
import { kickOutbox } from '@/lib/outbox/outbox-worker';
import { recordOutbox, type OutboxItem } from '@/lib/outbox/record-outbox';
import { dailyReportText } from './daily-report-text';
import type { DailyReportDto } from './generate-daily-report';

/** The department's active supervisors who linked their Telegram: who gets its daily report. */
export async function listReportRecipients(db: DbOrTx, departmentId: string) {
  return db
    .select({ id: operators.id, chatId: operators.telegramUserId, locale: operators.locale })
    .from(operators)
    .innerJoin(operatorDepartments, eq(operatorDepartments.operatorId, operators.id))
    .where(
      and(
        eq(operatorDepartments.departmentId, departmentId),
        eq(operators.role, 'supervisor'),
        eq(operators.isActive, true),
        isNotNull(operators.telegramUserId),
      ),
    )
    .orderBy(operators.id);
}

/**
 * Sends a department's daily report to its supervisors with a linked Telegram account, each in
 * their dashboard language: the messages are recorded in the outbox (bot calls, sent after
 * commit at Telegram's pace by lib/outbox) and the report row notes when and to how many.
 * Returns how many messages were recorded. A Telegram error for one supervisor is logged by the
 * worker and does not stop the others.
 */
export async function sendDailyReport({
  db,
  report,
  departmentName,
  now,
}: {
  db: DbOrTx;
  report: DailyReportDto;
  departmentName: string;
  now: Date;
}): Promise<number> {
  const recipients = await listReportRecipients(db, report.departmentId);
  const items: OutboxItem[] = [];
  for (const recipient of recipients) {
    if (recipient.chatId === null) continue;
    items.push({
      kind: 'bot_call',
      payload: {
        method: 'sendMessage',
        payload: {
          chat_id: recipient.chatId,
          text: dailyReportText(report, departmentName, recipient.locale),
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
        },
      },
    });
  }
  // The messages and the report's "sent" mark commit together.
  await db.transaction(async (tx) => {
    await recordOutbox(tx, items);
    await tx
      .update(dailyReports)
      .set({ sentAt: now, recipients: items.length })
      .where(and(eq(dailyReports.departmentId, report.departmentId), eq(dailyReports.day, report.day)));
  });
  if (items.length > 0) kickOutbox();
  return items.length;
}
