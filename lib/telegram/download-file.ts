import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { callBotApi, TelegramApiError, TelegramNotConfiguredError } from './bot-api';
import { redactToken } from './redact';

/** Telegram's getFile limit for bots. */
export const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

const fileSchema = z.looseObject({ file_path: z.string().optional(), file_size: z.number().optional() });

/** getFile, then the file itself. Errors are TelegramApiError without the token. */
export async function downloadTelegramFile(fileId: string): Promise<{ bytes: Uint8Array; filePath: string }> {
  const env = getEnv();
  const token = env.TELEGRAM_BOT_TOKEN;
  if (!token) throw new TelegramNotConfiguredError();
  const file = fileSchema.parse(await callBotApi('getFile', { file_id: fileId }));
  if (!file.file_path) throw new TelegramApiError('getFile', 400, 'Telegram returned no file_path');
  const root = env.TELEGRAM_API_ROOT.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${root}/file/bot${token}/${file.file_path}`, {
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new TelegramApiError(
      'downloadFile',
      0,
      redactToken(`Network error downloading a file: ${reason}`, token),
    );
  }
  if (!response.ok)
    throw new TelegramApiError(
      'downloadFile',
      response.status,
      `File download answered HTTP ${response.status}`,
    );
  return { bytes: new Uint8Array(await response.arrayBuffer()), filePath: file.file_path };
}
