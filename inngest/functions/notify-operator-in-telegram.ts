import { NonRetriableError } from 'inngest';
import { inngest } from '@/inngest/client';
import { OPERATOR_NOTIFY_REQUESTED, operatorNotifyRequestedData } from '@/inngest/events';
import { notifyOperator } from '@/lib/telegram/notify-operator';

/** Tells an operator in Telegram about a new client message, within the bot's send rate. */
export const notifyOperatorInTelegram = inngest.createFunction(
  {
    id: 'notify-operator-in-telegram',
    triggers: [{ event: OPERATOR_NOTIFY_REQUESTED }],
    throttle: { limit: 20, period: '1s' },
    retries: 3,
  },
  async ({ event, step }) => {
    const data = operatorNotifyRequestedData.safeParse(event.data);
    if (!data.success) throw new NonRetriableError('Invalid operator notification payload');
    return step.run('notify', () => notifyOperator(data.data));
  },
);
