import fs from 'node:fs';
import path from 'node:path';
import type { BotApiRule } from './telegram-server';

/**
 * A field case (tests/fixtures/field-cases, copied from the shared field reports): a fault
 * people running Telegram desks reported, reduced to Update JSON for our webhook.
 */
export type FieldCase = {
  id: string;
  kind: string;
  preconditions?: string;
  bot_api_rule?: BotApiRule;
  inputs: { label: string; update: Record<string, unknown> & { update_id: number } }[];
  expected: string;
  observed_on_main: string;
};

const dir = path.resolve(import.meta.dirname, '../fixtures/field-cases');

/** The case whose id starts with `id` (e.g. "C01"). */
export function loadFieldCase(id: string): FieldCase {
  const file = fs.readdirSync(dir).find((name) => name.startsWith(`${id}_`));
  if (!file) throw new Error(`no field case ${id} in ${dir}`);
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as FieldCase;
}

/** A deep copy of an update with some of its fields replaced (e.g. the notification replied to). */
export function withReplyTo<T extends Record<string, unknown>>(
  update: T,
  kind: string,
  messageId: number,
): T {
  const copy = structuredClone(update);
  const message = copy[kind] as { reply_to_message?: { message_id: number } } | undefined;
  if (message?.reply_to_message) message.reply_to_message.message_id = messageId;
  return copy;
}
