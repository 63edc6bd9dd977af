import { sendTelegramMessage } from './send-telegram-message';

export const functions = [sendTelegramMessage];
