'use client';

import { useUrlState } from './use-url-state';

// The pieces every list's filter bar is made of (clients, operators, logs, kanban). A filter
// lives in one URL parameter; a choice (select, checkbox, date) applies at once, typed text
// applies with the form's submit. Every change goes back to page 1 (`page` is removed).

/** A select's choice: `value` goes to the URL, `label` is shown. */
export type FilterOption = { value: string; label: string };

/** Departments, operators… as a select's choices: the id goes to the URL, the name is shown. */
export function namedOptions(items: readonly { id: string; name: string }[]): FilterOption[] {
  return items.map((item) => ({ value: item.id, label: item.name }));
}

/**
 * The filter bar: a `role="search"` form that, when submitted (Enter or an Apply button), puts
 * its text fields named in `textParams` into the URL, trimmed (empty: removed), each after its
 * `normalize` function if it has one.
 */
export function FilterForm({
  label,
  textParams,
  normalize = {},
  children,
}: {
  /** The form's accessible name, e.g. "Filter the log". */
  label?: string;
  textParams: string[];
  normalize?: Record<string, (value: string) => string>;
  children: React.ReactNode;
}) {
  const navigate = useUrlState();
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      role="search"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const changes: Record<string, string | undefined> = { page: undefined };
        for (const param of textParams) {
          const text = String(data.get(param) ?? '').trim();
          changes[param] = (normalize[param]?.(text) ?? text) || undefined;
        }
        navigate(changes);
      }}
    >
      {children}
    </form>
  );
}

/** A labelled text field of a FilterForm (named after its URL parameter, applied on submit). */
export function FilterText({
  param,
  label,
  value,
  className = 'w-56',
  ...input
}: {
  param: string;
  label: string;
  value: string | undefined;
  className?: string;
} & Pick<
  React.InputHTMLAttributes<HTMLInputElement>,
  'type' | 'placeholder' | 'enterKeyHint' | 'aria-describedby'
>) {
  return (
    <label className="text-sm">
      <span className="mb-1 block">{label}</span>
      <input name={param} defaultValue={value} className={`input input-sm ${className}`} {...input} />
    </label>
  );
}

/**
 * A labelled select bound to one URL parameter: the first option (`allLabel`, value empty)
 * removes the parameter; a choice applies at once.
 */
export function FilterSelect({
  param,
  label,
  value,
  options,
  allLabel,
  className = 'w-40',
}: {
  param: string;
  label: string;
  value: string | undefined;
  options: readonly FilterOption[];
  allLabel: string;
  className?: string;
}) {
  const navigate = useUrlState();
  return (
    <label className="text-sm">
      <span className="mb-1 block">{label}</span>
      <select
        className={`select select-sm ${className}`}
        value={value ?? ''}
        onChange={(e) => navigate({ [param]: e.target.value || undefined, page: undefined })}
      >
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A checkbox bound to one URL parameter: checked is `true`, unchecked removes it. */
export function FilterCheckbox({
  param,
  label,
  value,
}: {
  param: string;
  label: string;
  value: string | undefined;
}) {
  const navigate = useUrlState();
  return (
    <label className="label cursor-pointer gap-2 text-sm">
      <input
        type="checkbox"
        className="checkbox checkbox-sm"
        checked={value === 'true'}
        onChange={(e) => navigate({ [param]: e.target.checked ? 'true' : undefined, page: undefined })}
      />
      {label}
    </label>
  );
}

/**
 * Two date fields for the `from` and `to` URL parameters (yyyy-mm-dd, days in the viewer's time
 * zone as the list reads them); each applies at once.
 */
export function DateRangeFilter({
  from,
  to,
  fromLabel,
  toLabel,
}: {
  from: string | undefined;
  to: string | undefined;
  fromLabel: string;
  toLabel: string;
}) {
  const navigate = useUrlState();
  const field = (param: 'from' | 'to', label: string, value: string | undefined) => (
    <label className="text-sm">
      <span className="mb-1 block">{label}</span>
      <input
        type="date"
        className="input input-sm"
        value={value ?? ''}
        onChange={(e) => navigate({ [param]: e.target.value || undefined, page: undefined })}
      />
    </label>
  );
  return (
    <>
      {field('from', fromLabel, from)}
      {field('to', toLabel, to)}
    </>
  );
}
