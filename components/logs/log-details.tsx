'use client';

import { useFormatter, useTranslations } from 'next-intl';
import type { OperatorLogDto } from '@/lib/audit/get-operator-log-or-throw';
import { Modal } from '../modal';

/** One audit row in full: who, what, about what, from where, and its JSON details. */
export function LogDetails({ row, onClose }: { row: OperatorLogDto | null; onClose: () => void }) {
  const t = useTranslations('logs');
  const format = useFormatter();
  const fields: [string, React.ReactNode][] = row
    ? [
        [
          t('col.time'),
          format.dateTime(new Date(row.createdAt), { dateStyle: 'medium', timeStyle: 'medium' }),
        ],
        [t('col.actor'), `${row.actorLabel} (${t(`actorTypes.${row.actorType}`)})`],
        [t('col.action'), <code key="action">{row.action}</code>],
        [t('targetType'), row.targetType ?? '—'],
        [t('targetId'), <code key="target">{row.targetId ?? '—'}</code>],
        [t('col.ip'), row.ip ?? '—'],
        [t('col.userAgent'), row.userAgent ?? '—'],
      ]
    : [];
  return (
    <Modal
      open={row !== null}
      onClose={onClose}
      title={row ? t('detailsOf', { id: row.id }) : ''}
      wide
      testId="log-details"
    >
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        {fields.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium">{label}</dt>
            <dd className="mb-1 break-all sm:mb-0">{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="mt-3 mb-1 text-sm font-medium">{t('json')}</h3>
      <pre
        className="max-h-80 overflow-auto rounded-box bg-base-200 p-3 text-sm"
        tabIndex={0}
        aria-label={t('json')}
        data-testid="log-details-json"
      >
        {JSON.stringify(row?.details ?? {}, null, 2)}
      </pre>
    </Modal>
  );
}
