'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef } from 'react';

/**
 * A modal dialog on the browser's own `<dialog>` (focus kept inside, Escape closes, focus goes
 * back to the opener), titled for screen readers. Its content is mounted only while it is open,
 * so each opening starts from fresh state. `onClose` runs however it was closed.
 */
export function Modal({
  open,
  onClose,
  title,
  children,
  wide = false,
  testId,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const t = useTranslations('common');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="modal" aria-labelledby={titleId} onClose={onClose} data-testid={testId}>
      {open && (
        <div className={`modal-box ${wide ? 'max-w-3xl' : ''}`}>
          <div className="mb-3 flex items-start justify-between gap-2">
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
            <button
              type="button"
              className="btn btn-sm btn-circle btn-ghost"
              aria-label={t('close')}
              onClick={() => ref.current?.close()}
            >
              ✕
            </button>
          </div>
          {children}
        </div>
      )}
      <form method="dialog" className="modal-backdrop">
        <button type="submit" tabIndex={-1} aria-hidden>
          {t('close')}
        </button>
      </form>
    </dialog>
  );
}
