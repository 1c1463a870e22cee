// The filter bar above the observability lists (connections, queries, audit log).
import type { ReactNode } from 'react';
import type { Database, User } from '../api/types';
import { Field } from './ui';

export interface FilterOption {
  value: string;
  label: string;
}

export const userOptions = (users: User[]): FilterOption[] => users.map((u) => ({ value: u.uid, label: u.username }));
export const databaseOptions = (databases: Database[]): FilterOption[] => databases.map((d) => ({ value: d.uid, label: d.name }));

/** The filters form; "Clear filters" shows while a filter is set. */
export function FilterBar({ active, onClear, children }: { active: boolean; onClear: () => void; children: ReactNode }) {
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
      {children}
      {active && <button type="button" className="link" onClick={onClear}>Clear filters</button>}
    </form>
  );
}

/** A labelled select: `any` (value "") first, then the options. */
export function FilterSelect({ id, label, any, options, value, onChange }: { id: string; label: string; any: string; options: FilterOption[]; value: string; onChange: (value: string) => void }) {
  return (
    <Field label={label} htmlFor={id}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </Field>
  );
}

/** A labelled local date and time. */
export function TimeFilter({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (value: string) => void }) {
  return (
    <Field label={label} htmlFor={id}>
      <input id={id} type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}
