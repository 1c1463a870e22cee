// Captured row rendering: PG/Oracle rows are objects by column name, MySQL rows are arrays.
import type { QueryRow } from '../api/types';

/** Column headers in first-seen order; arrays give "1", "2", …. */
export function rowColumns(rows: QueryRow[]): string[] {
  const seen: string[] = [];
  const has = new Set<string>();
  for (const r of rows) {
    const d = r.row_data;
    if (Array.isArray(d)) {
      for (let i = 0; i < d.length; i++) {
        const k = String(i + 1);
        if (!has.has(k)) { has.add(k); seen.push(k); }
      }
    } else if (d && typeof d === 'object') {
      for (const k of Object.keys(d)) {
        if (!has.has(k)) { has.add(k); seen.push(k); }
      }
    } else if (!has.has('value')) {
      has.add('value');
      seen.push('value');
    }
  }
  return seen;
}

export function rowCells(row: QueryRow, columns: string[]): unknown[] {
  const d = row.row_data;
  if (Array.isArray(d)) return columns.map((c) => (Number(c) - 1 < d.length ? d[Number(c) - 1] : undefined));
  if (d && typeof d === 'object') return columns.map((c) => (d as Record<string, unknown>)[c]);
  return columns.map((c) => (c === 'value' ? d : undefined));
}

export function cellText(v: unknown): string {
  if (v === null) return 'NULL';
  if (v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
