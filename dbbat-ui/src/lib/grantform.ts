// Grant form logic: time window, controls and quotas to the POST /grants body.
import type { Control, GrantInput } from '../api/types';
import { fromLocalInput } from './format';

export const CONTROLS: { value: Control; label: string; help: string }[] = [
  { value: 'read_only', label: 'Read only', help: 'refuse writes and DDL' },
  { value: 'block_ddl', label: 'Block DDL', help: 'refuse CREATE, ALTER, DROP, TRUNCATE' },
  { value: 'block_copy', label: 'Block COPY', help: 'refuse COPY (PostgreSQL)' },
];

export const BYTE_UNITS: { label: string; factor: number }[] = [
  { label: 'KiB', factor: 1024 },
  { label: 'MiB', factor: 1024 ** 2 },
  { label: 'GiB', factor: 1024 ** 3 },
];

export interface GrantFormState {
  user_id: string;
  database_id: string;
  starts_at: string; // datetime-local
  expires_at: string; // datetime-local
  controls: Control[];
  max_queries: string;
  max_bytes: string;
  bytes_unit: string;
}

/** Builds the body, or returns the first problem as a sentence. */
export function grantRequestBody(s: GrantFormState): GrantInput | string {
  if (!s.user_id) return 'Choose the user who gets access.';
  if (!s.database_id) return 'Choose the database.';
  const starts = fromLocalInput(s.starts_at);
  const expires = fromLocalInput(s.expires_at);
  if (!starts) return 'Give the start of the access window.';
  if (!expires) return 'Give the end of the access window.';
  if (new Date(starts) >= new Date(expires)) return 'The access window must end after it starts.';
  const body: GrantInput = { user_id: s.user_id, database_id: s.database_id, starts_at: starts, expires_at: expires, controls: [...s.controls] };
  if (s.max_queries.trim() !== '') {
    const n = Number(s.max_queries);
    if (!Number.isInteger(n) || n < 1) return 'The query quota must be a whole number of at least 1, or empty for no limit.';
    body.max_query_counts = n;
  }
  if (s.max_bytes.trim() !== '') {
    const n = Number(s.max_bytes);
    const unit = BYTE_UNITS.find((u) => u.label === s.bytes_unit) ?? BYTE_UNITS[1];
    if (!Number.isFinite(n) || n <= 0) return 'The data quota must be a positive number, or empty for no limit.';
    body.max_bytes_transferred = Math.round(n * unit.factor);
  }
  return body;
}
