import { useTranslations } from 'next-intl';

/**
 * An operator's load: active clients against capacity, as a bar (green, amber from 80 %, red at
 * or over capacity) and as numbers; the bar is labelled for screen readers.
 */
export function LoadBar({ active, capacity }: { active: number; capacity: number }) {
  const t = useTranslations('operators');
  const ratio = capacity > 0 ? active / capacity : 1;
  const tone = ratio >= 1 ? 'progress-error' : ratio >= 0.8 ? 'progress-warning' : 'progress-success';
  return (
    <div className="flex items-center gap-2" data-testid="operator-load">
      <progress
        className={`progress w-16 sm:w-20 ${tone}`}
        value={Math.min(active, capacity)}
        max={Math.max(capacity, 1)}
        aria-label={t('loadLabel', { active, capacity })}
      />
      <span className="text-sm tabular-nums whitespace-nowrap" aria-hidden>
        {active}/{capacity}
      </span>
    </div>
  );
}
