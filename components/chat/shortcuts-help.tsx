'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';

/** The chat's keyboard shortcuts, as chat-screen.tsx binds them. */
export const CHAT_SHORTCUTS = [
  { keys: ['Ctrl', 'Enter'], action: 'send' },
  { keys: ['Alt', '↓'], action: 'next' },
  { keys: ['Alt', '↑'], action: 'previous' },
  { keys: ['Alt', 'R'], action: 'resolve' },
  { keys: ['Alt', 'N'], action: 'note' },
  { keys: ['?'], action: 'help' },
] as const;

/** The `?` overlay listing the shortcuts (a modal dialog: Esc or the button closes it). */
export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useTranslations('chat.shortcuts');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="modal" aria-labelledby="shortcuts-title" onClose={onClose}>
      <div className="modal-box max-w-md">
        <h2 id="shortcuts-title" className="mb-3 text-lg font-semibold">
          {t('title')}
        </h2>
        <table className="table table-sm">
          <tbody>
            {CHAT_SHORTCUTS.map((s) => (
              <tr key={s.action}>
                <td className="whitespace-nowrap">
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && ' + '}
                      <kbd className="kbd kbd-sm">{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{t(s.action)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-action">
          <button type="button" className="btn btn-sm" onClick={onClose}>
            {t('close')}
          </button>
        </div>
      </div>
      <button type="button" className="modal-backdrop" aria-label={t('close')} onClick={onClose} />
    </dialog>
  );
}
