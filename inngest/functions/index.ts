import { downloadTelegramFile } from './download-telegram-file';
import { jobFunctions } from './jobs';
import { notifyOperatorInTelegram } from './notify-operator-in-telegram';
import { sendTelegramMessage } from './send-telegram-message';

export const functions = [
  sendTelegramMessage,
  downloadTelegramFile,
  notifyOperatorInTelegram,
  ...jobFunctions,
];
