import { and, eq, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { dailyReports, operatorDepartments, operators } from '@/db/schema';
import { emptyEffects } from '@/lib/telegram/effects';
import { runEffects } from '@/lib/telegram/run-effects';
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
 * their dashboard language, through the bot's outbound path for operators (runEffects'
 * `botCalls`: the same calls the bot makes to operators after an update, which the outbox takes
 * over), and records on the report row when and to how many. Returns how many messages were
 * handed over. A Telegram error for one supervisor is logged by that path and does not stop the
 * others.
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
  const effects = emptyEffects();
  for (const recipient of recipients) {
    if (recipient.chatId === null) continue;
    effects.botCalls.push({
      method: 'sendMessage',
      payload: {
        chat_id: recipient.chatId,
        text: dailyReportText(report, departmentName, recipient.locale),
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      },
    });
  }
  if (effects.botCalls.length > 0) await runEffects(effects);
  await db
    .update(dailyReports)
    .set({ sentAt: now, recipients: effects.botCalls.length })
    .where(and(eq(dailyReports.departmentId, report.departmentId), eq(dailyReports.day, report.day)));
  return effects.botCalls.length;
}
